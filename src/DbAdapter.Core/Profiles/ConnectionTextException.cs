namespace DbAdapter.Core.Profiles;

/// <summary>
/// A connection URI or keyword string could not be read. The message says what is wrong with which
/// part or key and never quotes a value; <see cref="ConnectionResolver"/> adds the profile and the
/// redacted text before it reaches a user.
/// </summary>
internal sealed class ConnectionTextException(string reason) : Exception(reason);

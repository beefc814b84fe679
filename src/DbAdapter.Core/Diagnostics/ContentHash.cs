using System.Security.Cryptography;
using System.Text;

namespace DbAdapter.Core.Diagnostics;

/// <summary>
/// The one spelling of a SHA-256 in files and messages: lower-case hex, as <c>sha256sum</c> prints it,
/// so a person can check a hash a plan file records with the tools of their system.
/// </summary>
public static class ContentHash
{
    /// <summary>SHA-256 of <paramref name="bytes"/> in lower-case hex.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>SHA-256 of the UTF-8 bytes of <paramref name="text"/> in lower-case hex.</summary>
    public static string Sha256(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Sha256(Encoding.UTF8.GetBytes(text));
    }
}

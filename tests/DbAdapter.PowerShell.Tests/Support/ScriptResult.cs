using System.Management.Automation;

namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>One record of any stream, in the order the pipeline produced it.</summary>
public sealed record StreamRecord(string Stream, object Value)
{
    public override string ToString() => $"[{Stream}] {Value}";
}

/// <summary>Everything a script produced: each stream, and all of them in order.</summary>
public sealed class ScriptResult
{
    public List<StreamRecord> All { get; } = [];

    public List<PSObject> Output { get; } = [];

    public List<ErrorRecord> Errors { get; } = [];

    public List<WarningRecord> Warnings { get; } = [];

    public List<VerboseRecord> Verbose { get; } = [];

    public List<ProgressRecord> Progress { get; } = [];

    public List<InformationRecord> Information { get; } = [];

    /// <summary>A terminating error (the invocation threw), or null.</summary>
    public Exception? Terminating { get; set; }

    /// <summary>Every text of every stream and of every output property, for redaction checks.</summary>
    public string AllText()
    {
        var parts = new List<string>();
        foreach (var record in All)
        {
            parts.Add(record.Value?.ToString() ?? string.Empty);
            switch (record.Value)
            {
                case ErrorRecord error:
                    parts.Add(error.Exception.ToString());
                    parts.Add(error.TargetObject?.ToString() ?? string.Empty);
                    parts.Add(error.ErrorDetails?.Message ?? string.Empty);
                    break;
                case PSObject obj:
                    parts.Add(Dump(obj.BaseObject, 0));
                    break;
            }
        }

        if (Terminating is not null)
        {
            parts.Add(Terminating.ToString());
        }

        return string.Join("\n", parts);
    }

    /// <summary>Fails with every error text when the script reported any error.</summary>
    public ScriptResult ShouldSucceed()
    {
        if (Terminating is not null || Errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("The script failed:\n" + string.Join("\n", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception.Message}")) + (Terminating is null ? string.Empty : "\nTerminating: " + Terminating));
        }

        return this;
    }

    private static string Dump(object? value, int depth)
    {
        if (value is null || depth > 4)
        {
            return string.Empty;
        }

        if (value is string s)
        {
            return s;
        }

        if (value is System.Collections.IEnumerable list)
        {
            return string.Join(",", list.Cast<object?>().Select(v => Dump(v, depth + 1)));
        }

        var type = value.GetType();
        if (type.IsPrimitive || value is decimal || value is DateTime || value is TimeSpan || value is Guid || type.IsEnum)
        {
            return value.ToString() ?? string.Empty;
        }

        return string.Join(";", type.GetProperties().Where(p => p.GetIndexParameters().Length == 0).Select(p => p.Name + "=" + Dump(p.GetValue(value), depth + 1)));
    }
}

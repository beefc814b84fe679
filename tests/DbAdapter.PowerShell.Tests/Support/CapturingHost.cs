using DbAdapter.TestSupport.Hosting;

namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>Records what PowerShell writes to the host: "What if:" lines go there, not to a stream.</summary>
public sealed class CapturingHost
{
    private readonly List<string> _lines = [];

    public CapturingHost() => Host = new LineHost(Add, plainText: true);

    public LineHost Host { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    private void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}

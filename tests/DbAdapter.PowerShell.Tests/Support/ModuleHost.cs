using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>
/// A real PowerShell engine in this process with the BUILT module imported from out/DbAdapter/.
/// Runs scripts and collects every stream in order. One runspace per host; location set to a
/// folder of the test's choosing.
/// </summary>
public sealed class ModuleHost : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleHost(string? location = null, CapturingHost? host = null)
    {
        if (!File.Exists(RepoPaths.ModuleManifest))
        {
            throw new InvalidOperationException($"The built module is missing: {RepoPaths.ModuleManifest}. Build the solution first.");
        }

        Capture = host;
        var state = InitialSessionState.CreateDefault2();
        _runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host.Host, state);
        _runspace.Open();
        if (location is not null)
        {
            _runspace.SessionStateProxy.Path.SetLocation(location);
        }

        var import = Run($"Import-Module '{RepoPaths.ModuleManifest.Replace("'", "''")}' -ErrorAction Stop");
        if (import.Terminating is not null || import.Errors.Count > 0)
        {
            throw new InvalidOperationException("Import-Module failed: " + (import.Terminating?.ToString() ?? string.Join("; ", import.Errors)));
        }
    }

    public Runspace Runspace => _runspace;

    /// <summary>The host the runspace writes to, when the test gave one.</summary>
    public CapturingHost? Capture { get; }

    /// <summary>Runs <paramref name="script"/> with optional variables; never throws for script errors.</summary>
    public ScriptResult Run(string script, IReadOnlyDictionary<string, object?>? variables = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                _runspace.SessionStateProxy.SetVariable(name, value);
            }
        }

        ps.AddScript(script);
        var result = new ScriptResult();
        var gate = new object();
        void Add(string stream, object value)
        {
            lock (gate)
            {
                result.All.Add(new StreamRecord(stream, value));
            }
        }

        ps.Streams.Error.DataAdded += (_, e) => { var r = ps.Streams.Error[e.Index]; result.Errors.Add(r); Add("Error", r); };
        ps.Streams.Warning.DataAdded += (_, e) => { var r = ps.Streams.Warning[e.Index]; result.Warnings.Add(r); Add("Warning", r); };
        ps.Streams.Verbose.DataAdded += (_, e) => { var r = ps.Streams.Verbose[e.Index]; result.Verbose.Add(r); Add("Verbose", r); };
        ps.Streams.Progress.DataAdded += (_, e) => { var r = ps.Streams.Progress[e.Index]; result.Progress.Add(r); Add("Progress", r); };
        ps.Streams.Information.DataAdded += (_, e) => { var r = ps.Streams.Information[e.Index]; result.Information.Add(r); Add("Information", r); };
        var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => { var r = output[e.Index]; result.Output.Add(r); Add("Output", r); };
        try
        {
            ps.Invoke(null, output);
        }
        catch (RuntimeException ex)
        {
            result.Terminating = ex;
            Add("Terminating", ex.ErrorRecord);
        }

        return result;
    }

    /// <summary>Starts a script asynchronously and returns the PowerShell instance (for Stop()).</summary>
    public (System.Management.Automation.PowerShell Shell, IAsyncResult Handle) Start(string script)
    {
        var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        return (ps, ps.BeginInvoke());
    }

    public void Dispose() => _runspace.Dispose();
}

using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace DbAdapter.HelpGen;

/// <summary>Entry point: HelpGen &lt;manifest.psd1&gt; &lt;cmdlet-docs.xml&gt; &lt;output-help.xml&gt;.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: DbAdapter.HelpGen <manifest.psd1> <cmdlet-docs.xml> <output-help.xml>");
            return 2;
        }

        try
        {
            var docs = XmlDocs.Load(args[1]);
            var commands = LoadCommands(args[0]);
            var problems = new List<string>();
            var maml = MamlWriter.Write(commands, docs, problems);
            if (problems.Count > 0)
            {
                // Missing help is a build error: every cmdlet needs a synopsis, every parameter a description, and an example.
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine($"error HELP001: {problem}");
                }

                return 1;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2]))!);
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
            using (var writer = XmlWriter.Create(args[2], settings))
            {
                maml.Save(writer);
            }

            Console.WriteLine($"HelpGen: wrote help for {commands.Count} cmdlets to {args[2]}");
            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"error HELP000: {ex.Message}");
            return 1;
        }
    }

    private static List<CmdletInfo> LoadCommands(string manifest)
    {
        var state = InitialSessionState.CreateDefault2();
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript($"Import-Module '{manifest.Replace("'", "''")}' -ErrorAction Stop; Get-Command -Module DbAdapter -CommandType Cmdlet");
        var result = ps.Invoke();
        if (ps.HadErrors)
        {
            throw new InvalidOperationException("Import-Module failed: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        }

        return result.Select(r => (CmdletInfo)r.BaseObject).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }
}

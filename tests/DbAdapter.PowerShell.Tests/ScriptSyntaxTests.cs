using System.Management.Automation.Language;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>
/// The repository's own scripts (build.ps1, the runbook, the Pester tests, the analyzer settings)
/// cannot run here (no pwsh), but the real PowerShell parser can read them: a syntax error in a file
/// that pwsh users run is caught in CI.
/// </summary>
public sealed class ScriptSyntaxTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in ScriptFiles())
        {
            data.Add(file);
        }

        return data;
    }

    private static List<string> ScriptFiles()
    {
        var files = new List<string>();
        var skip = new[] { "/bin/", "/obj/", "/out/", "/artifacts/", "/.git/" };
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Root, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".ps1", StringComparison.Ordinal) || f.EndsWith(".psm1", StringComparison.Ordinal) || f.EndsWith(".psd1", StringComparison.Ordinal))
                     .Where(f => !skip.Any(s => f.Replace('\\', '/').Contains(s, StringComparison.Ordinal)))
                     .OrderBy(f => f, StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(RepoPaths.Root, file));
        }

        return files;
    }

    [Fact]
    public void The_scripts_pwsh_users_run_are_all_found()
    {
        var scripts = ScriptFiles();
        Assert.Contains("build.ps1", scripts);
        Assert.Contains("PSScriptAnalyzerSettings.psd1", scripts);
        Assert.Contains(Path.Combine("samples", "runbook.ps1"), scripts);
        Assert.Contains(scripts, s => s.StartsWith(Path.Combine("tests", "pester"), StringComparison.Ordinal) && s.EndsWith(".Tests.ps1", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Parses_without_errors(string relativePath)
    {
        var ast = Parser.ParseFile(Path.Combine(RepoPaths.Root, relativePath), out _, out var errors);
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber}: {e.Message}")));
        if (relativePath.EndsWith(".psd1", StringComparison.Ordinal))
        {
            // Data files must be a single hashtable and nothing that runs.
            var statement = Assert.Single(ast.EndBlock.Statements);
            Assert.IsType<HashtableAst>(((PipelineAst)statement).PipelineElements.OfType<CommandExpressionAst>().Single().Expression);
        }
    }
}

using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>The module as users import it: exports, parameter contract, help, load context.</summary>
public sealed class ModuleContractTests : IDisposable
{
    private static readonly string[] CommonParameters =
    [
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    ];

    private readonly ModuleHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Exports_exactly_the_implemented_cmdlets()
    {
        var result = _host.Run("Get-Command -Module DbAdapter").ShouldSucceed();
        var names = result.Output.Select(o => ((CommandInfo)o.BaseObject).Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(Contract.Cmdlets.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray(), names);
        Assert.All(result.Output, o => Assert.Equal(CommandTypes.Cmdlet, ((CommandInfo)o.BaseObject).CommandType));
    }

    [Fact]
    public void Manifest_is_valid_and_versioned_from_the_build()
    {
        var result = _host.Run($"Test-ModuleManifest -Path '{RepoPaths.ModuleManifest}'").ShouldSucceed();
        var module = (PSModuleInfo)result.Output.Single().BaseObject;
        Assert.Equal("DbAdapter", module.Name);
        Assert.NotEqual(new Version(0, 0, 0), module.Version);
        Assert.Equal(new Version(7, 4), module.PowerShellVersion);
        Assert.Contains("Core", module.CompatiblePSEditions);
        Assert.Empty(module.ExportedFunctions);
        Assert.Empty(module.ExportedAliases);
        Assert.Empty(module.ExportedVariables);
    }

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in Contract.Cmdlets)
        {
            data.Add(cmdlet.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Parameter_contract_is_pinned(string name)
    {
        var spec = Contract.Cmdlets.Single(c => c.Name == name);
        var cmdlet = (CmdletInfo)_host.Run($"Get-Command {name}").ShouldSucceed().Output.Single().BaseObject;

        var actual = cmdlet.Parameters.Keys.Where(k => !CommonParameters.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(spec.Parameters.Select(p => p.Name).OrderBy(k => k, StringComparer.Ordinal).ToArray(), actual);

        Assert.Equal(spec.SupportsShouldProcess, cmdlet.Parameters.ContainsKey("WhatIf"));
        Assert.Equal(spec.SupportsShouldProcess, cmdlet.Parameters.ContainsKey("Confirm"));
        var attribute = (CmdletAttribute)cmdlet.ImplementingType.GetCustomAttributes(typeof(CmdletAttribute), false).Single();
        Assert.Equal(spec.SupportsShouldProcess, attribute.SupportsShouldProcess);
        if (spec.ConfirmImpact is not null)
        {
            Assert.Equal(spec.ConfirmImpact, attribute.ConfirmImpact.ToString());
        }

        Assert.Equal(spec.OutputTypes.Select(t => t.FullName).ToArray(), cmdlet.OutputType.Select(t => t.Name).ToArray());

        foreach (var p in spec.Parameters)
        {
            var metadata = cmdlet.Parameters[p.Name];
            Assert.True(p.Type.FullName == metadata.ParameterType.FullName, $"{name} -{p.Name}: type {metadata.ParameterType}, expected {p.Type}");
            Assert.Equal((p.Aliases ?? []).OrderBy(a => a).ToArray(), metadata.Aliases.OrderBy(a => a).ToArray());
            var inSets = cmdlet.ParameterSets.Where(s => s.Parameters.Any(x => x.Name == p.Name)).ToList();
            if (p.Sets is not null)
            {
                Assert.Equal(p.Sets.OrderBy(s => s).ToArray(), inSets.Select(s => s.Name).OrderBy(s => s).ToArray());
            }
            else
            {
                Assert.Equal(cmdlet.ParameterSets.Count, inSets.Count);
            }

            foreach (var set in inSets)
            {
                var info = set.Parameters.Single(x => x.Name == p.Name);
                Assert.True(p.Mandatory == info.IsMandatory, $"{name} -{p.Name} in {set.Name}: mandatory {info.IsMandatory}");
                var position = info.Position < 0 ? -1 : info.Position;
                Assert.True(p.Position == position, $"{name} -{p.Name} in {set.Name}: position {position}");
                Assert.True(p.ByValue == info.ValueFromPipeline, $"{name} -{p.Name} in {set.Name}: by value {info.ValueFromPipeline}");
                Assert.True(p.ByPropertyName == info.ValueFromPipelineByPropertyName, $"{name} -{p.Name} in {set.Name}: by property name {info.ValueFromPipelineByPropertyName}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Help_has_synopsis_parameter_descriptions_and_examples(string name)
    {
        var result = _host.Run($"Get-Help {name} -Full").ShouldSucceed();
        var help = result.Output.Single();
        var synopsis = help.Properties["Synopsis"].Value?.ToString() ?? string.Empty;
        Assert.False(string.IsNullOrWhiteSpace(synopsis));
        Assert.DoesNotContain(name + " ", synopsis.TrimStart(), StringComparison.Ordinal); // not the auto-generated syntax stub

        var description = _host.Run($"(Get-Help {name} -Full).description | ForEach-Object {{ $_.Text }}").ShouldSucceed();
        Assert.NotEmpty(description.Output);

        var spec = Contract.Cmdlets.Single(c => c.Name == name);
        foreach (var parameter in spec.Parameters)
        {
            var text = _host.Run($"(Get-Help {name} -Parameter {parameter.Name}).description | ForEach-Object {{ $_.Text }}").ShouldSucceed();
            Assert.True(text.Output.Count > 0 && text.Output.Any(o => o.ToString()!.Trim().Length > 10), $"{name} -{parameter.Name} has no description");
        }

        var examples = _host.Run($"(Get-Help {name} -Examples).examples.example | ForEach-Object {{ $_.code }}").ShouldSucceed();
        Assert.NotEmpty(examples.Output);
        Assert.Contains(examples.Output, o => o.ToString()!.Contains(name, StringComparison.Ordinal) || o.ToString()!.Contains('|'));
    }

    [Fact]
    public void Every_output_type_has_a_table_view()
    {
        var format = System.Xml.Linq.XDocument.Load(Path.Combine(RepoPaths.ModuleDirectory, "DbAdapter.Format.ps1xml"));
        var viewed = format.Descendants("View")
            .Where(v => v.Element("TableControl") is not null)
            .SelectMany(v => v.Descendants("TypeName").Select(t => t.Value))
            .ToHashSet(StringComparer.Ordinal);
        var types = _host.Run("(Get-Module DbAdapter).ImplementingAssembly.GetExportedTypes() | Where-Object { $_.Namespace -eq 'DbAdapter' -and $_.IsClass } | ForEach-Object { $_.FullName }").ShouldSucceed();
        var outputTypes = types.Output.Select(o => o.ToString()!).ToList();
        Assert.NotEmpty(outputTypes);
        Assert.All(outputTypes, t => Assert.Contains(t, viewed));
    }
}

using System.Management.Automation;
using System.Xml.Linq;

namespace DbAdapter.HelpGen;

/// <summary>Writes MAML (the format Get-Help reads for binary modules).</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private static readonly Dictionary<string, string> RiskParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["WhatIf"] = "Shows what would happen if the cmdlet runs, and changes nothing: no statement is sent that writes, no file is written. The output object still describes what would be done.",
        ["Confirm"] = "Prompts for confirmation before each change.",
    };

    public static XDocument Write(IReadOnlyList<CmdletInfo> commands, XmlDocs docs, List<string> problems)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev));
        foreach (var cmdlet in commands)
        {
            root.Add(WriteCommand(cmdlet, docs, problems));
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement WriteCommand(CmdletInfo cmdlet, XmlDocs docs, List<string> problems)
    {
        var typeDoc = docs.Type(cmdlet.ImplementingType);
        var summary = typeDoc?.Element("summary");
        var synopsis = XmlDocs.Text(summary?.Elements("para").FirstOrDefault(p => (string?)p.Attribute("type") == "synopsis"));
        var description = summary?.Elements("para").Where(p => (string?)p.Attribute("type") == "description").Select(XmlDocs.Text).ToList() ?? [];
        if (synopsis.Length == 0)
        {
            problems.Add($"{cmdlet.Name}: no <para type=\"synopsis\"> in the class summary.");
        }

        if (description.Count == 0)
        {
            problems.Add($"{cmdlet.Name}: no <para type=\"description\"> in the class summary.");
        }

        var examples = typeDoc?.Elements("example").ToList() ?? [];
        if (examples.Count == 0)
        {
            problems.Add($"{cmdlet.Name}: no <example>.");
        }

        var parameters = cmdlet.Parameters.Values
            .Where(p => !CommonParameters.Contains(p.Name))
            .OrderBy(p => Position(cmdlet, p.Name) ?? int.MaxValue)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var parameterDocs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var text = RiskParameters.TryGetValue(parameter.Name, out var risk)
                ? risk
                : XmlDocs.Text(docs.Property(cmdlet.ImplementingType, parameter.Name)?.Element("summary"));
            if (text.Length == 0)
            {
                problems.Add($"{cmdlet.Name}: parameter -{parameter.Name} has no <summary>.");
            }

            parameterDocs[parameter.Name] = text;
        }

        var command = new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                new XElement(Maml + "description", Para(synopsis))),
            new XElement(Maml + "description", description.Select(Para)),
            new XElement(Command + "syntax", cmdlet.ParameterSets.Select(set => SyntaxItem(cmdlet, set, parameterDocs))),
            new XElement(Command + "parameters", parameters.Select(p => Parameter(cmdlet, p, parameterDocs[p.Name], AnySet(cmdlet, p.Name)))),
            new XElement(Command + "inputTypes", InputTypes(cmdlet)),
            new XElement(Command + "returnValues", cmdlet.OutputType.Select(t => ReturnValue(t, docs))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Para("Passwords never appear in output, errors, warnings or verbose messages."))),
            new XElement(Command + "examples", examples.Select((e, i) => Example(e, i + 1))),
            new XElement(Command + "relatedLinks",
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", "about_DbAdapter (README)"), new XElement(Maml + "uri", "https://github.com/dbadapter/DbAdapter/blob/main/README.md"))));
        return command;
    }

    private static XElement SyntaxItem(CmdletInfo cmdlet, CommandParameterSetInfo set, IReadOnlyDictionary<string, string> parameterDocs) =>
        new(Command + "syntaxItem",
            new XElement(Maml + "name", cmdlet.Name),
            set.Parameters
                .Where(p => !CommonParameters.Contains(p.Name))
                .OrderBy(p => p.Position < 0 ? int.MaxValue : p.Position)
                .ThenBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => Parameter(cmdlet, cmdlet.Parameters[p.Name], parameterDocs[p.Name], p)));

    private static XElement Parameter(CmdletInfo cmdlet, ParameterMetadata metadata, string description, CommandParameterInfo? info)
    {
        var isSwitch = metadata.SwitchParameter;
        var typeName = FriendlyType(metadata.ParameterType);
        var pipeline = info is null ? "False" : Pipeline(info);
        var position = info is null || info.Position < 0 ? "named" : info.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var aliases = metadata.Aliases.Count == 0 ? "none" : string.Join(", ", metadata.Aliases);
        var globbing = metadata.Attributes.OfType<SupportsWildcardsAttribute>().Any();
        var element = new XElement(Command + "parameter",
            new XAttribute("required", info?.IsMandatory == true ? "true" : "false"),
            new XAttribute("variableLength", metadata.ParameterType.IsArray ? "true" : "false"),
            new XAttribute("globbing", globbing ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position),
            new XAttribute("aliases", aliases),
            new XElement(Maml + "name", metadata.Name),
            new XElement(Maml + "description", Para(description)));
        if (!isSwitch)
        {
            element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", metadata.ParameterType.IsArray ? "true" : "false"), typeName));
        }

        var validateSet = metadata.Attributes.OfType<ValidateSetAttribute>().FirstOrDefault();
        if (validateSet is not null)
        {
            element.Add(new XElement(Command + "parameterValueGroup", validateSet.ValidValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        }

        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", metadata.ParameterType.FullName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", isSwitch ? "False" : "None"));
        return element;
    }

    private static IEnumerable<XElement> InputTypes(CmdletInfo cmdlet)
    {
        var inputs = cmdlet.ParameterSets
            .SelectMany(s => s.Parameters)
            .Where(p => p.ValueFromPipeline || p.ValueFromPipelineByPropertyName)
            .GroupBy(p => p.ParameterType.FullName)
            .Select(g => new XElement(Command + "inputType",
                new XElement(Dev + "type", new XElement(Maml + "name", g.Key)),
                new XElement(Maml + "description", Para("Bound to " + string.Join(", ", g.Select(p => "-" + p.Name).Distinct()) + (g.Any(p => p.ValueFromPipeline) ? " (by value or by property name)." : " (by property name).")))))
            .ToList();
        if (inputs.Count == 0)
        {
            inputs.Add(new XElement(Command + "inputType", new XElement(Dev + "type", new XElement(Maml + "name", "None")), new XElement(Maml + "description", Para("This cmdlet takes no pipeline input."))));
        }

        return inputs;
    }

    private static XElement ReturnValue(PSTypeName type, XmlDocs docs)
    {
        var text = type.Type is null ? string.Empty : XmlDocs.Text(docs.Type(type.Type)?.Element("summary"));
        return new XElement(Command + "returnValue",
            new XElement(Dev + "type", new XElement(Maml + "name", type.Name == "System.Void" ? "None" : type.Name)),
            new XElement(Maml + "description", Para(text)));
    }

    private static XElement Example(XElement example, int number)
    {
        var code = example.Element("code")?.Value.Trim() ?? string.Empty;
        var remarks = example.Elements("para").Select(XmlDocs.Text).ToList();
        return new XElement(Command + "example",
            new XElement(Maml + "title", $"-------------------------- Example {number} --------------------------"),
            new XElement(Dev + "code", "PS> " + code),
            new XElement(Dev + "remarks", remarks.Select(Para)));
    }

    private static XElement Para(string text) => new(Maml + "para", text);

    private static CommandParameterInfo? AnySet(CmdletInfo cmdlet, string name) =>
        cmdlet.ParameterSets.SelectMany(s => s.Parameters).FirstOrDefault(p => p.Name == name);

    private static int? Position(CmdletInfo cmdlet, string name)
    {
        var positions = cmdlet.ParameterSets.SelectMany(s => s.Parameters).Where(p => p.Name == name && p.Position >= 0).Select(p => p.Position).ToList();
        return positions.Count == 0 ? null : positions.Min();
    }

    private static string Pipeline(CommandParameterInfo info) => (info.ValueFromPipeline, info.ValueFromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    private static string FriendlyType(Type type) =>
        type == typeof(SwitchParameter) ? "SwitchParameter" : type.IsArray ? type.GetElementType()!.Name + "[]" : Nullable.GetUnderlyingType(type)?.Name ?? type.Name;
}

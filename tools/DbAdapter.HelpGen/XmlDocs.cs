using System.Xml.Linq;

namespace DbAdapter.HelpGen;

/// <summary>The compiler's XML documentation file, looked up by member id ("T:...", "P:...").</summary>
internal sealed class XmlDocs
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocs(Dictionary<string, XElement> members) => _members = members;

    public static XmlDocs Load(string path)
    {
        var doc = XDocument.Load(path);
        var members = doc.Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .GroupBy(m => m.Attribute("name")!.Value)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return new XmlDocs(members);
    }

    public XElement? Type(Type type) => Find("T:" + type.FullName);

    /// <summary>The docs of a property, looked up on the declaring type (inherited parameters included).</summary>
    public XElement? Property(Type type, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (Find($"P:{t.FullName}.{name}") is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private XElement? Find(string id) => _members.TryGetValue(id, out var member) ? member : null;

    /// <summary>Plain text of an element: whitespace collapsed, cref/langword references written out.</summary>
    public static string Text(XElement? element)
    {
        if (element is null)
        {
            return string.Empty;
        }

        var parts = element.Nodes().Select(node => node switch
        {
            XText text => text.Value,
            XElement e when e.Name == "see" || e.Name == "seealso" =>
                e.Attribute("langword")?.Value ?? ShortName(e.Attribute("cref")?.Value) ?? e.Value,
            XElement e when e.Name == "c" || e.Name == "code" => e.Value,
            XElement e => Text(e),
            _ => string.Empty,
        });
        return string.Join(' ', string.Concat(parts).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string? ShortName(string? cref) =>
        cref is null ? null : cref[(cref.LastIndexOf('.') + 1)..];
}

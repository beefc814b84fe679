using System.Text;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// A trigger's parts as the catalog stores them (tgtype bits, tgargs bytes, the WHEN condition inside
/// pg_get_triggerdef's text), and the one text two triggers are compared by: every part that changes
/// what the trigger does, in a fixed order, so a trigger read from schema.sql and one read from a
/// catalog compare equal exactly when they fire the same function the same way.
/// </summary>
internal static class TriggerDefinition
{
    /// <summary>A trigger of a catalog: timing, events and level from tgtype.</summary>
    public static TriggerModel FromCatalog(string schema, string table, string name, short type, string function, string? definition)
    {
        // tgtype bits (catalog/pg_trigger.h): 1 ROW, 2 BEFORE, 64 INSTEAD, 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE.
        var trigger = new TriggerModel
        {
            Schema = schema,
            Table = table,
            Name = name,
            Timing = (type & 2) != 0 ? "BEFORE" : (type & 64) != 0 ? "INSTEAD OF" : "AFTER",
            ForEachRow = (type & 1) != 0,
            Function = function,
            Definition = definition,
        };
        AddIf(trigger.Events, type, 4, "INSERT");
        AddIf(trigger.Events, type, 16, "UPDATE");
        AddIf(trigger.Events, type, 8, "DELETE");
        AddIf(trigger.Events, type, 32, "TRUNCATE");
        return trigger;

        static void AddIf(List<string> events, short type, int bit, string word)
        {
            if ((type & bit) != 0)
            {
                events.Add(word);
            }
        }
    }

    /// <summary>The arguments of tgargs: <paramref name="count"/> strings, each ended by a NUL byte.</summary>
    public static IEnumerable<string> Arguments(byte[] bytes, int count)
    {
        var start = 0;
        for (var i = 0; i < bytes.Length && count > 0; i++)
        {
            if (bytes[i] == 0)
            {
                yield return Encoding.UTF8.GetString(bytes, start, i - start);
                start = i + 1;
                count--;
            }
        }
    }

    /// <summary>
    /// The WHEN condition of a trigger definition as the server prints it ("(new.a IS DISTINCT FROM
    /// old.a)"), found by tokens so a WHEN inside a string or a name is never taken for it; null when none.
    /// </summary>
    public static string? WhenOf(string definition)
    {
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(definition);
        }
        catch (Diagnostics.DbAdapterException)
        {
            return null;
        }

        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].IsWord("when") && tokens[i + 1].IsSymbol("("))
            {
                var cursor = new TokenCursor(tokens) { Position = i + 1 };
                var (start, end) = cursor.ReadParenthesized();
                return definition[tokens[start].Start..tokens[end - 1].End];
            }

            if (tokens[i].IsWord("execute"))
            {
                break;
            }
        }

        return null;
    }

    /// <summary>
    /// The comparable text: "[CONSTRAINT ]BEFORE INSERT OR UPDATE OF a FOR EACH ROW WHEN (...) EXECUTE
    /// FUNCTION s.f('x')". Events in one order, the function schema-qualified, the WHEN condition in
    /// <paramref name="when"/>'s spelling (the server's, when it could read it).
    /// </summary>
    public static string Comparable(TriggerModel trigger, string? function, string? when)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var text = new StringBuilder();
        if (trigger.IsConstraint)
        {
            text.Append("CONSTRAINT ");
        }

        text.Append(trigger.Timing).Append(' ');
        var events = new List<string>();
        foreach (var word in new[] { "INSERT", "UPDATE", "DELETE", "TRUNCATE" })
        {
            if (!trigger.Events.Contains(word, StringComparer.Ordinal))
            {
                continue;
            }

            events.Add(word == "UPDATE" && trigger.UpdateColumns.Count > 0
                ? $"UPDATE OF {string.Join(", ", trigger.UpdateColumns.Select(ObjectText.Name))}"
                : word);
        }

        text.Append(string.Join(" OR ", events));
        if (trigger.IsConstraint)
        {
            text.Append(trigger.Deferral.Deferrable ? trigger.Deferral.Suffix : " NOT DEFERRABLE");
        }

        if (trigger.OldTable is not null || trigger.NewTable is not null)
        {
            text.Append(" REFERENCING");
            if (trigger.OldTable is { } old)
            {
                text.Append(" OLD TABLE AS ").Append(ObjectText.Name(old));
            }

            if (trigger.NewTable is { } @new)
            {
                text.Append(" NEW TABLE AS ").Append(ObjectText.Name(@new));
            }
        }

        text.Append(trigger.ForEachRow ? " FOR EACH ROW" : " FOR EACH STATEMENT");
        if (when is not null)
        {
            text.Append(" WHEN (").Append(when).Append(')');
        }

        text.Append(" EXECUTE FUNCTION ").Append(function ?? trigger.Function).Append('(')
            .Append(string.Join(", ", trigger.Arguments.Select(ObjectText.Literal))).Append(')');
        return text.ToString();
    }
}

using System.Globalization;
using System.Text;
using DbAdapter.Core.Client;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// A plan as one reviewable SQL script for psql (<c>psql -v ON_ERROR_STOP=1 -f plan.sql</c>): BEGIN, the
/// lock timeout (SET LOCAL), every statement of every step in order with the step and its hazards
/// as comments, the note on validation, COMMIT. Stopping at the first error leaves the transaction
/// open and psql ends the session, so a failure changes nothing, as with the module's own apply.
/// </summary>
public static class FixPlanScript
{
    /// <summary>The script's text (lines end with \n).</summary>
    /// <param name="document">The plan as a plan file holds it.</param>
    /// <param name="lockTimeout">The lock timeout the script sets.</param>
    public static string Write(FixPlanDocument document, TimeSpan lockTimeout)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = new StringBuilder();
        var profile = document.Profile is null ? "a direct connection" : $"profile {document.Profile}";
        Comment(text, $"DbAdapter fix plan for {profile}, made {document.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z");
        Comment(text, $"from {document.SchemaFile} (sha256 {document.SchemaSha256}), schemas: {string.Join(", ", document.Schemas)}");
        if (document.ColumnDefinitionsFile is not null)
        {
            Comment(text, $"column definitions: {document.ColumnDefinitionsFile} (sha256 {document.ColumnDefinitionsSha256})");
        }

        if (document.RecreateTables.Count > 0)
        {
            Comment(text, $"tables rebuilt on request: {string.Join(", ", document.RecreateTables)}");
        }

        Comment(text, $"fingerprint of the tables it changes: sha256 {document.Fingerprint.Sha256} (checked only by the module's own apply of the JSON plan)");
        Comment(text, "Run with: psql -v ON_ERROR_STOP=1 -f <this file>. The first error stops psql before COMMIT: nothing is changed.");
        Comment(text, "A lock not granted within the lock timeout is such an error; run the script again later.");
        foreach (var warning in document.Warnings)
        {
            Comment(text, "Note: " + warning);
        }

        text.Append('\n');
        Line(text, "BEGIN;");
        Line(text, $"SET LOCAL lock_timeout = '{DbTimeouts.Setting(lockTimeout)}';");
        foreach (var step in document.Steps)
        {
            text.Append('\n');
            Comment(text, $"Step {step.Order.ToString(CultureInfo.InvariantCulture)} of {document.Steps.Count.ToString(CultureInfo.InvariantCulture)} ({step.Operation}, {step.Target}): {step.Description}");
            foreach (var hazard in step.Hazards)
            {
                Comment(text, $"Hazard {hazard.Kind}{(hazard.Blocking ? " (blocking)" : string.Empty)}: {hazard.Message}");
            }

            foreach (var statement in step.Statements)
            {
                text.Append(statement);

                // A statement that ends in a line comment would swallow a ';' written after it.
                text.Append(EndsInLineComment(statement) ? "\n;\n" : ";\n");
            }
        }

        text.Append('\n');
        Comment(text, "Validation: the module's own apply now compares the database with schema.sql inside this transaction and rolls everything back on a mismatch; this script does not. Compare the database with schema.sql after it has run.");
        Line(text, "COMMIT;");
        return text.ToString();
    }

    private static bool EndsInLineComment(string statement)
    {
        var tokens = SqlTokenizer.Tokenize(statement);
        var rest = tokens.Count == 0 ? statement : statement[tokens[^1].End..];
        return rest.Contains("--", StringComparison.Ordinal);
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    // Messages may span lines: every line of a comment starts with "--".
    private static void Comment(StringBuilder text, string comment)
    {
        foreach (var line in comment.Split('\n'))
        {
            text.Append("-- ").Append(line.TrimEnd('\r')).Append('\n');
        }
    }
}

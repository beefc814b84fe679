namespace DbAdapter.Core.Repair;

/// <summary>
/// A foreign key found in schema.sql text by tokens: where it sits (character offsets of the text
/// that declares it, so it can be cut out) and what it takes to add it later with ALTER TABLE.
/// </summary>
/// <param name="Start">Offset of the first character to cut.</param>
/// <param name="End">Offset just past the last character to cut.</param>
/// <param name="ConstraintName">The CONSTRAINT name, when one is written.</param>
/// <param name="Columns">The referencing columns, as stored.</param>
/// <param name="ReferencedSchema">The referenced table's schema as written, or null when unqualified.</param>
/// <param name="ReferencedTable">The referenced table, as stored.</param>
/// <param name="ReferencesText">"REFERENCES t(id) ON DELETE CASCADE ..." exactly as written.</param>
internal sealed record ForeignKeyClause(
    int Start,
    int End,
    string? ConstraintName,
    IReadOnlyList<string> Columns,
    string? ReferencedSchema,
    string ReferencedTable,
    string ReferencesText);

using DbAdapter.Core.Client;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Checks a backup schema against the live catalog before any row is read, and binds each entry to
/// its table: the table exists in one of the profile's schemas, its key, natural-key, owner and
/// reference columns exist, every parent is in the schema and listed before its children, and every
/// optional reference points at a table listed before (or at the table itself). A bad entry is
/// BackupSchemaInvalid naming the entry and the problem. The catalog is read in one statement.
/// </summary>
internal static class BackupSchemaBinder
{
    /// <summary>
    /// Binds <paramref name="schema"/> to the catalog of <paramref name="target"/>'s database: bare names
    /// in the profile's schemas; a name qualified with a Supabase platform schema the profile does not
    /// name is refused before the catalog is read (such a profile never backs up, restores or syncs
    /// the platform's tables).
    /// </summary>
    /// <param name="connection">An open connection to the profile's database.</param>
    /// <param name="schema">The backup schema.</param>
    /// <param name="target">The profile: its schemas, provider and display name.</param>
    /// <param name="ct">Cancels the catalog read.</param>
    public static Task<BackupTableSet> BindAsync(NpgsqlConnection connection, BackupSchema schema, ConnectionTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(target);
        foreach (var spec in schema.Tables)
        {
            var named = Candidates(spec.Name, target.Schemas)[0];
            if (PlatformSchemas.IsIgnored(target, named.Schema))
            {
                throw Invalid(spec, $"the table '{spec.Name}' is in schema '{named.Schema}', one of the Supabase platform's own schemas, which profile '{target.DisplayName}' neither compares nor copies rows of unless its schemas name it. Add \"{named.Schema}\" to the profile's schemas in db.toml to include it.");
            }
        }

        return BindAsync(connection, schema, target.Schemas, target.DisplayName, ct);
    }

    /// <param name="connection">An open connection to the database the schema describes.</param>
    /// <param name="schema">The backup schema.</param>
    /// <param name="searchSchemas">The profile's schemas: a bare table name is looked for in them, in order.</param>
    /// <param name="database">The database's display name, for messages.</param>
    /// <param name="ct">Cancels the catalog read.</param>
    public static async Task<BackupTableSet> BindAsync(NpgsqlConnection connection, BackupSchema schema, IReadOnlyList<string> searchSchemas, string database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(searchSchemas);
        if (schema.Tables.Count == 0)
        {
            throw Invalid(schema.Source, "the \"tables\" list is empty: name at least one table.");
        }

        var columns = await TableColumns.LoadAsync(connection, CandidateTables(schema, searchSchemas), ct).ConfigureAwait(false);
        return Bind(schema, searchSchemas, database, columns);
    }

    /// <summary>
    /// Binds <paramref name="schema"/> to tables whose columns were read already (from the catalog,
    /// or from the Data API's description of them); <paramref name="columns"/> must hold every
    /// candidate table of <see cref="CandidateTables"/> that exists.
    /// </summary>
    public static BackupTableSet Bind(BackupSchema schema, IReadOnlyList<string> searchSchemas, string database, IReadOnlyDictionary<TableName, TableColumns> columns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        if (schema.Tables.Count == 0)
        {
            throw Invalid(schema.Source, "the \"tables\" list is empty: name at least one table.");
        }

        var candidates = schema.Tables.Select(t => Candidates(t.Name, searchSchemas)).ToList();
        var bound = new List<BackupTable>();
        foreach (var (spec, index) in schema.Tables.Select((t, i) => (t, i)))
        {
            if (bound.Any(t => string.Equals(t.Key, spec.Name, StringComparison.Ordinal)))
            {
                throw Invalid(spec, $"the table '{spec.Name}' is listed twice.");
            }

            var name = candidates[index].FirstOrDefault(columns.ContainsKey);
            if (name == default)
            {
                throw Invalid(spec, $"the table '{spec.Name}' does not exist in {Where(searchSchemas)} of '{database}'.");
            }

            var table = columns[name];
            var pk = Column(spec, table, spec.Pk, "pk");
            var slug = spec.SlugField.Length == 0 ? null : Column(spec, table, spec.SlugField, "slug_field");
            var user = Column(spec, table, spec.UserField, "user_field");
            var entry = new BackupTable(index, spec, name, table, pk, slug, user);
            if (spec.Parent is { } parent)
            {
                if (string.Equals(parent.Table, spec.Name, StringComparison.Ordinal))
                {
                    throw Invalid(spec, $"the table cannot be its own parent; a reference to a row of the same table belongs in optional_refs.");
                }

                entry.Parent = new BackupReference(Earlier(spec, parent, bound, schema, "parent"), Column(spec, table, parent.Field, "parent.field"));
            }

            foreach (var reference in spec.OptionalRefs)
            {
                var target = string.Equals(reference.Table, spec.Name, StringComparison.Ordinal) ? entry : Earlier(spec, reference, bound, schema, "optional_refs");
                entry.OptionalRefs.Add(new BackupReference(target, Column(spec, table, reference.Field, "optional_refs.field")));
            }

            bound.Add(entry);
        }

        return new BackupTableSet(schema, bound);
    }

    /// <summary>Every table an entry of <paramref name="schema"/> may name, in the profile's schemas.</summary>
    public static IReadOnlyList<TableName> CandidateTables(BackupSchema schema, IReadOnlyList<string> searchSchemas)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Tables.SelectMany(t => Candidates(t.Name, searchSchemas)).Distinct().ToList();
    }

    private static BackupTable Earlier(BackupTableConfig spec, TableFieldRef reference, List<BackupTable> bound, BackupSchema schema, string what)
    {
        var found = bound.FirstOrDefault(t => string.Equals(t.Key, reference.Table, StringComparison.Ordinal));
        if (found is not null)
        {
            return found;
        }

        throw schema.IndexOf(reference.Table) < 0
            ? Invalid(spec, $"the {what} table '{reference.Table}' is not in the backup schema (its tables: {string.Join(", ", schema.Tables.Select(t => t.Name))}).")
            : Invalid(spec, $"the {what} table '{reference.Table}' is listed after '{spec.Name}': list every table after the tables it refers to (parents before children).");
    }

    private static ColumnInfo Column(BackupTableConfig spec, TableColumns table, string column, string key) =>
        table.Find(column) ?? throw Invalid(spec, $"{key} '{column}' is not a column of {table.Table} (its columns: {string.Join(", ", table.Columns.Select(c => c.Name))}).");

    private static List<TableName> Candidates(string name, IReadOnlyList<string> searchSchemas)
    {
        // "sales.orders" names its schema; a bare name is looked for in the profile's schemas in order.
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < name.Length - 1
            ? [new TableName(name[..dot], name[(dot + 1)..]), .. searchSchemas.Select(s => new TableName(s, name))]
            : searchSchemas.Select(s => new TableName(s, name)).ToList();
    }

    private static string Where(IReadOnlyList<string> schemas) =>
        schemas.Count == 1 ? $"schema {schemas[0]}" : $"schemas {string.Join(", ", schemas)}";

    private static DbAdapterException Invalid(BackupTableConfig spec, string problem) =>
        new(ErrorIds.BackupSchemaInvalid, DbErrorKind.InvalidData, $"Backup schema {(spec.Origin.Length > 0 ? spec.Origin : spec.Name)}: {problem} Nothing was read or written.", spec.Name);

    private static DbAdapterException Invalid(string source, string problem) =>
        new(ErrorIds.BackupSchemaInvalid, DbErrorKind.InvalidData, $"Backup schema {source}: {problem}", source);
}

using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Leaves the platform's own objects out of an expected schema: for a Supabase profile, whatever
/// schema.sql declares in a platform schema its <c>schemas</c> do not name (a dump's auth.users, a
/// trigger on auth.users, a function in extensions) is neither compared nor planned, nor warned
/// about as a table outside the compared schemas. References into those schemas (a foreign key to
/// auth.users) stay: they belong to the user's tables, and the live catalog names what they point at.
/// </summary>
public static class PlatformObjects
{
    /// <summary>
    /// The objects of <paramref name="model"/> outside every schema <paramref name="target"/> ignores
    /// (<see cref="PlatformSchemas.IsIgnored"/>), with one verbose line saying what was left out.
    /// <paramref name="model"/> itself is never changed (a schema file's model is shared, see
    /// <see cref="SchemaFileCache"/>): when something is left out, the result is a new model holding the
    /// same objects.
    /// </summary>
    /// <returns><paramref name="model"/> when nothing is left out, else a new model without the left-out objects.</returns>
    public static SchemaModel LeaveOut(SchemaModel model, ConnectionTarget target, IOperationReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reporter);
        var left = new SortedSet<string>(
            model.Tables.Select(t => t.Schema)
                .Concat(model.Indexes.Select(i => i.Schema))
                .Concat(model.Triggers.Select(t => t.Schema))
                .Concat(model.Functions.Select(f => f.Schema))
                .Concat(model.Sequences.Select(s => s.Schema))
                .Concat(model.Views.Select(v => v.QualifiedName.Schema))
                .Concat(model.Enums.Select(e => e.QualifiedName.Schema))
                .Concat(model.Domains.Select(d => d.QualifiedName.Schema))
                .Where(schema => PlatformSchemas.IsIgnored(target, schema)),
            StringComparer.Ordinal);
        if (left.Count == 0)
        {
            return model;
        }

        bool Kept(string schema) => !left.Contains(schema);
        var narrowed = new SchemaModel { SourceFile = model.SourceFile, FromCatalog = model.FromCatalog, SourceSha256 = model.SourceSha256 };
        narrowed.Tables.AddRange(model.Tables.Where(t => Kept(t.Schema)));
        narrowed.Indexes.AddRange(model.Indexes.Where(i => Kept(i.Schema)));
        narrowed.Triggers.AddRange(model.Triggers.Where(t => Kept(t.Schema)));
        narrowed.Functions.AddRange(model.Functions.Where(f => Kept(f.Schema)));
        narrowed.Sequences.AddRange(model.Sequences.Where(s => Kept(s.Schema)));
        narrowed.Views.AddRange(model.Views.Where(v => Kept(v.QualifiedName.Schema)));
        narrowed.Enums.AddRange(model.Enums.Where(e => Kept(e.QualifiedName.Schema)));
        narrowed.Domains.AddRange(model.Domains.Where(d => Kept(d.QualifiedName.Schema)));
        var count = Objects(model) - Objects(narrowed);
        narrowed.Warnings.AddRange(model.Warnings);
        reporter.Verbose($"{count} object(s) of the schema file in Supabase's own schemas ({string.Join(", ", left)}) left alone: the platform manages them (name a schema in the profile's schemas to compare it).");
        return narrowed;
    }

    private static int Objects(SchemaModel model) =>
        model.Tables.Count + model.Indexes.Count + model.Triggers.Count + model.Functions.Count
        + model.Sequences.Count + model.Views.Count + model.Enums.Count + model.Domains.Count;
}

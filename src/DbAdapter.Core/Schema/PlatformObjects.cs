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
        if (!PlatformSchemas.IgnoresAny(target))
        {
            return model;
        }

        var left = new SortedSet<string>(StringComparer.Ordinal);
        bool Kept(string schema)
        {
            if (!PlatformSchemas.IsIgnored(target, schema))
            {
                return true;
            }

            left.Add(schema);
            return false;
        }

        var narrowed = new SchemaModel { SourceFile = model.SourceFile, FromCatalog = model.FromCatalog, SourceSha256 = model.SourceSha256 };
        var count = Keep(model.Tables, narrowed.Tables, t => Kept(t.Schema))
            + Keep(model.Indexes, narrowed.Indexes, i => Kept(i.Schema))
            + Keep(model.Triggers, narrowed.Triggers, t => Kept(t.Schema))
            + Keep(model.Functions, narrowed.Functions, f => Kept(f.Schema))
            + Keep(model.Sequences, narrowed.Sequences, s => Kept(s.Schema))
            + Keep(model.Views, narrowed.Views, v => Kept(v.QualifiedName.Schema))
            + Keep(model.Enums, narrowed.Enums, e => Kept(e.QualifiedName.Schema))
            + Keep(model.Domains, narrowed.Domains, d => Kept(d.QualifiedName.Schema));
        if (count == 0)
        {
            return model;
        }

        narrowed.Warnings.AddRange(model.Warnings);
        reporter.Verbose($"{count} object(s) of the schema file in Supabase's own schemas ({string.Join(", ", left)}) left alone: the platform manages them (name a schema in the profile's schemas to compare it).");
        return narrowed;
    }

    /// <summary>Adds to <paramref name="kept"/> the items of <paramref name="all"/> <paramref name="keep"/> keeps; returns how many it left out.</summary>
    private static int Keep<T>(List<T> all, List<T> kept, Func<T, bool> keep)
    {
        kept.AddRange(all.Where(keep));
        return all.Count - kept.Count;
    }
}

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
    /// Removes from <paramref name="model"/> every object in a schema <paramref name="target"/>
    /// ignores (<see cref="PlatformSchemas.IsIgnored"/>), and says in one verbose line what was left out.
    /// </summary>
    /// <returns><paramref name="model"/>, for chaining.</returns>
    public static SchemaModel LeaveOut(SchemaModel model, ConnectionTarget target, IOperationReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reporter);
        var left = new SortedSet<string>(StringComparer.Ordinal);
        bool Ignored(string schema)
        {
            if (!PlatformSchemas.IsIgnored(target, schema))
            {
                return false;
            }

            left.Add(schema);
            return true;
        }

        var count = model.Tables.RemoveAll(t => Ignored(t.Schema))
            + model.Indexes.RemoveAll(i => Ignored(i.Schema))
            + model.Triggers.RemoveAll(t => Ignored(t.Schema))
            + model.Functions.RemoveAll(f => Ignored(f.Schema))
            + model.Sequences.RemoveAll(s => Ignored(s.Schema))
            + model.Views.RemoveAll(v => Ignored(v.QualifiedName.Schema))
            + model.Enums.RemoveAll(e => Ignored(e.QualifiedName.Schema))
            + model.Domains.RemoveAll(d => Ignored(d.QualifiedName.Schema));
        if (count > 0)
        {
            reporter.Verbose($"{count} object(s) of the schema file in Supabase's own schemas ({string.Join(", ", left)}) left alone: the platform manages them (name a schema in the profile's schemas to compare it).");
        }

        return model;
    }
}

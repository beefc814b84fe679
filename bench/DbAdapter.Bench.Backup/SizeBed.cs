namespace DbAdapter.Bench.Backup;

/// <summary>The databases and folder of one size: the seeded source, an empty copy of the schema to clone, a work folder holding backup-schema.json.</summary>
/// <param name="Products">The user's products.</param>
/// <param name="Categories">The user's categories.</param>
/// <param name="Source">The seeded database.</param>
/// <param name="Template">The empty database targets are cloned from.</param>
/// <param name="Work">The size's folder (db.toml, backup-schema.json, files).</param>
internal sealed record SizeBed(int Products, int Categories, string Source, string Template, string Work)
{
    /// <summary>The user's rows of both tables.</summary>
    public int Rows => Products + Categories;
}

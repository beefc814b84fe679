using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Client;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Corpus;

/// <summary>
/// The reader kept honest by shadow mode: every schema file of the corpus is loaded into a database as
/// psql loads it, and both modes (the reader, and the file run in a throwaway database and read back)
/// must find nothing, strict included; after a drift both must report exactly the drift, item for
/// item; and a repair planned in either mode must bring the database back to reporting nothing but
/// the extra column the drift added (repair never drops).
/// </summary>
public sealed class CorpusTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    public static TheoryData<string> Files => new(SchemaCorpus.All().Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_file_has_no_false_item_in_either_mode_a_drift_is_reported_alike_and_both_repairs_undo_it(string name)
    {
        var corpus = SchemaCorpus.All().Single(f => f.Name == name);
        var schemas = corpus.Schemas;
        var text = corpus.Text();
        using var folder = new TempFolder();
        var file = folder.Write(name, text);
        var live = await database.CreateSiblingAsync("corpus");
        await database.Server.ExecuteAsync(live, text);

        var reader = SchemaSqlReader.Read(text, file, schemas[0]);
        var shadow = await ShadowDatabase.BuildAsync(TestTargets.For(database.Server.DirectConnectionString(database.Name)), file, schemas, NullReporter.Instance, CancellationToken.None);
        var expected = corpus.ReaderCanModel ? reader : shadow;

        // Identical, and every type and default canonicalised by the server (no "compared as text").
        var loaded = await CompareAsync(Cs(live), shadow, schemas);
        AssertIdentical(loaded);
        Assert.Empty(loaded.Warnings);
        if (corpus.ReaderCanModel)
        {
            Assert.Empty(reader.Warnings);
            loaded = await CompareAsync(Cs(live), reader, schemas);
            AssertIdentical(loaded);
            Assert.Empty(loaded.Warnings);
        }
        else
        {
            // What shadow mode is for: the reader cannot see what the DO blocks did.
            Assert.NotEmpty(reader.Warnings);
            Assert.NotEqual(CorpusReport.Empty, CorpusReport.Of(await CompareAsync(Cs(live), reader, schemas)));
        }

        await database.Server.ExecuteAsync(live, corpus.Drift);
        var drifted = CorpusReport.Of(await CompareAsync(Cs(live), shadow, schemas));
        Assert.Equal(new CorpusReport(corpus.Missing, corpus.Extra, corpus.Differences), drifted);
        Assert.Equal(drifted, CorpusReport.Of(await CompareAsync(Cs(live), expected, schemas)));

        var copy = await database.Server.CopyDatabaseAsync(live, "corpuscopy");

        await RepairAsync(live, expected, schemas);
        await RepairAsync(copy, shadow, schemas);
        foreach (var repaired in new[] { live, copy })
        {
            var after = new CorpusReport([], corpus.Extra, corpus.Differences);
            Assert.Equal(after, CorpusReport.Of(await CompareAsync(Cs(repaired), shadow, schemas)));
            Assert.Equal(after, CorpusReport.Of(await CompareAsync(Cs(repaired), expected, schemas)));
        }
    }

    private string Cs(string name) => database.Server.ConnectionString(name);

    private async Task RepairAsync(string name, SchemaModel expected, IReadOnlyList<string> schemas)
    {
        await using var client = new DbAdapter.Core.Client.DbClient(TestTargets.For(Cs(name), [.. schemas]));
        var plan = await FixPlanner.PlanAsync(client, expected, schemas, new FixPlanOptions(), NullReporter.Instance, CancellationToken.None);
        Assert.True(plan.HasChanges);
        var result = await FixExecutor.ApplyAsync(client, plan, new FixApplyOptions(Force: true, NoBackup: true, ProfileName: "corpus"), NullReporter.Instance, CancellationToken.None);
        Assert.True(result.Success);
    }
}

using System.Globalization;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Shadow mode: the expected schema of a file no reader can model (DO blocks, migrations run in
/// order) is what the server makes of it. The file runs, statement by statement, in a database this
/// class creates for the purpose on the shadow server, the one introspector reads that database, and
/// the database is dropped: on success, on failure and on cancellation alike.
/// </summary>
/// <remarks>
/// <para>Only ever a database of its own making: a fresh name with a fixed prefix, created from
/// template0, and only a name of that making is ever dropped. The profile's own database and the
/// shadow connection's database are never written to; the latter only issues CREATE and DROP DATABASE.</para>
/// <para>Each statement is its own command and its own transaction, as psql runs a file. Statements
/// that act on the whole server (roles, databases, tablespaces, ALTER SYSTEM) are not run: the
/// throwaway database is all this class may change. Ownership and privilege statements (OWNER TO,
/// GRANT, REVOKE, ALTER DEFAULT PRIVILEGES) are not run either: they shape no table, and their roles
/// need not exist on the shadow server. psql meta-commands are not SQL and are passed over.</para>
/// </remarks>
public static class ShadowDatabase
{
    /// <summary>The progress activity id of loading a shadow database.</summary>
    public const int ProgressActivityId = 3;

    /// <summary>The prefix of every database shadow mode creates; nothing else is ever dropped.</summary>
    public const string NamePrefix = "dbadapter_shadow_";

    // Statements per round trip. Each is followed by an error barrier (a Sync), so each still runs in
    // a transaction of its own, exactly as one statement after another would.
    private const int BatchSize = 100;

    private const string MarkerColumn = "dbadapter_statement";

    private static readonly TimeSpan DropTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Builds the expected schema of <paramref name="schemaFile"/> on <paramref name="server"/>: creates a
    /// throwaway database there, runs the file in it, introspects <paramref name="schemas"/> and drops it.
    /// </summary>
    /// <param name="server">Where to create the throwaway database (its own database is only connected to).</param>
    /// <param name="schemaFile">The schema file (absolute path).</param>
    /// <param name="schemas">The profile's schemas: what is read back.</param>
    /// <param name="reporter">Progress per statement, warnings for what was not run.</param>
    /// <param name="ct">Cancels the load; the throwaway database is dropped anyway.</param>
    /// <exception cref="DbAdapterException">
    /// <see cref="ErrorIds.ShadowDatabaseFailed"/> when the throwaway database cannot be created (the
    /// role lacks CREATEDB, or the server is reached through a transaction pooler); <see cref="ErrorIds.SchemaFileInvalid"/> when a statement of the file
    /// fails there (naming file and line); connection failures as the client translates them.
    /// </exception>
    public static Task<SchemaModel> BuildAsync(ConnectionTarget server, string schemaFile, IReadOnlyList<string> schemas, IOperationReporter reporter, CancellationToken ct) =>
        BuildAsync(server, schemaFile, schemas, platformSchemas: [], reporter, ct);

    /// <summary>
    /// As <see cref="BuildAsync(ConnectionTarget, string, IReadOnlyList{string}, IOperationReporter, CancellationToken)"/>,
    /// with stand-ins for the Supabase platform schemas <paramref name="platformSchemas"/> (those the file
    /// does not create itself) made in the throwaway database before the file runs, so that its
    /// references to auth.users, auth.uid() or storage.objects resolve.
    /// </summary>
    public static async Task<SchemaModel> BuildAsync(
        ConnectionTarget server, string schemaFile, IReadOnlyList<string> schemas, IReadOnlyList<string> platformSchemas, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platformSchemas);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(schemaFile);
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(reporter);
        if (server.Pooling == PoolingMode.Transaction)
        {
            // The file's statements share one session (SET search_path, a BEGIN ... COMMIT), and a new
            // database is not a pool a transaction pooler knows.
            throw new DbAdapterException(
                ErrorIds.ShadowDatabaseFailed,
                DbErrorKind.InvalidArgument,
                $"Shadow mode cannot run through the transaction pooler of {server.Host}:{server.Port.ToString(CultureInfo.InvariantCulture)}: the file must run in one session, in a database the pooler does not know. " +
                "Name the server's direct connection as the shadow database (a profile or URL without the pooler, e.g. port 5432 on Supabase).",
                server.DisplayName);
        }

        var fullPath = Path.GetFullPath(schemaFile);
        var bytes = await UserFile.ReadBytesAsync(fullPath, UserFileKind.Schema, ct).ConfigureAwait(false);
        var sql = UserFile.DecodeText(bytes);
        var statements = SqlStatementSplitter.Split(sql, SqlTokenizer.Tokenize(sql, fullPath));

        var name = NamePrefix + Guid.NewGuid().ToString("N");
        var activity = $"Loading {Path.GetFileName(fullPath)} into a shadow database on {server.Host}:{server.Port.ToString(CultureInfo.InvariantCulture)}";
        // The server's own database is only connected to, to create and drop the throwaway one: outside
        // any transaction (CREATE DATABASE cannot run in one), which is why this is no DbClient.
        var admin = Direct(server, server.Database, schemas);
        await CreateAsync(admin, name, ct).ConfigureAwait(false);
        reporter.Verbose($"Shadow database {name} created; it is dropped when the expected schema is read.");
        try
        {
            var shadow = Direct(server, name, schemas);
            var created = SupabaseShadowStubs.CreatedBy(statements);
            var stubbed = platformSchemas.Where(s => !created.Contains(s)).ToList();
            if (stubbed.Count > 0)
            {
                await StubAsync(shadow, SupabaseShadowStubs.Statements(stubbed), ct).ConfigureAwait(false);
                reporter.Verbose($"Shadow database {name}: stand-ins for the Supabase platform's schemas made first ({string.Join(", ", stubbed)}; auth.users, auth.uid(), storage.objects...), never read back.");
            }

            await LoadAsync(shadow, fullPath, statements, activity, reporter, ct).ConfigureAwait(false);
            reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Reading the shadow database's catalog", 100));
            var model = await IntrospectAsync(shadow, schemas, ct).ConfigureAwait(false);
            model.SourceFile = fullPath;
            model.SourceSha256 = ContentHash.Sha256(bytes);
            return model;
        }
        finally
        {
            reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Done", 100, Completed: true));
            await DropAsync(admin, name, reporter).ConfigureAwait(false);
        }
    }

    private static async Task CreateAsync(ConnectionTarget admin, string name, CancellationToken ct)
    {
        var connection = await OpenAsync(admin, "connecting to create the shadow database", ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                var check = new NpgsqlCommand("SELECT r.rolcreatedb OR r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user", connection);
                await using (check.ConfigureAwait(false))
                {
                    if (await check.ExecuteScalarAsync(ct).ConfigureAwait(false) is false)
                    {
                        throw NotAllowed(admin, null);
                    }
                }

                var create = new NpgsqlCommand($"CREATE DATABASE {SqlIdentifier.Quote(name)} TEMPLATE template0", connection);
                await using (create.ConfigureAwait(false))
                {
                    await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw NotAllowed(admin, ex);
            }
            catch (Exception ex) when (ConnectionErrors.TryTranslate(ex, admin, "creating the shadow database", null, whileOpening: false, out var translated))
            {
                throw translated;
            }
        }
    }

    private static DbAdapterException NotAllowed(ConnectionTarget target, Exception? inner) => new(
        ErrorIds.ShadowDatabaseFailed,
        DbErrorKind.PermissionDenied,
        $"Shadow mode cannot create its throwaway database on {target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}: role '{target.UserName}' may not create databases (CREATEDB). " +
        $"Grant it (ALTER ROLE {SqlIdentifier.Quote(target.UserName ?? "role")} CREATEDB), or use a shadow server where it may.",
        target.DisplayName,
        inner);

    /// <summary>A database of the shadow server, connected to directly: no pool (nothing stays connected), a name a DBA recognises.</summary>
    private static ConnectionTarget Direct(ConnectionTarget server, string database, IReadOnlyList<string> schemas)
    {
        var builder = new NpgsqlConnectionStringBuilder(server.Builder.ConnectionString)
        {
            Database = database,
            Pooling = false,
            ApplicationName = "DbAdapter shadow",
        };
        return new ConnectionTarget(builder, null, server.Provider, null, schemas, "none");
    }

    private static async Task<NpgsqlConnection> OpenAsync(ConnectionTarget target, string activity, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(target.Builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ConnectionErrors.TryTranslate(ex, target, activity, null, whileOpening: true, out var translated))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw translated;
        }
    }

    private static async Task LoadAsync(ConnectionTarget shadow, string file, List<SqlStatement> statements, string activity, IOperationReporter reporter, CancellationToken ct)
    {
        var connection = await OpenAsync(shadow, "connecting to the shadow database", ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {

            var notRun = new List<(int Line, string Why)>();
            var pending = new List<SqlStatement>();
            for (var i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                if (WhyNotRun(statement) is { } why)
                {
                    notRun.Add((statement.Line, why));
                }
                else
                {
                    pending.Add(statement);
                }

                if (pending.Count == BatchSize || (i == statements.Count - 1 && pending.Count > 0))
                {
                    reporter.Progress(new OperationProgress(ProgressActivityId, activity, $"Line {pending[0].Line.ToString(CultureInfo.InvariantCulture)}", i * 100 / statements.Count));
                    await RunAsync(connection, shadow, file, pending, ct).ConfigureAwait(false);
                    pending.Clear();
                }
            }

            foreach (var group in notRun.GroupBy(n => n.Why))
            {
                var lines = group.Select(g => g.Line.ToString(CultureInfo.InvariantCulture)).ToList();
                var shown = lines.Count <= 3 ? string.Join(", ", lines) : $"{string.Join(", ", lines.Take(3))} and {lines.Count - 3} more";
                reporter.Verbose($"{Path.GetFileName(file)}: {lines.Count} statement(s) not run in the shadow database (line {shown}): {group.Key}.");
            }
        }
    }

    /// <summary>The platform's stand-ins, our own statements (one command each), in one round trip.</summary>
    private static async Task StubAsync(ConnectionTarget shadow, IReadOnlyList<string> statements, CancellationToken ct)
    {
        var connection = await OpenAsync(shadow, "connecting to the shadow database", ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                foreach (var statement in statements)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
                }

                try
                {
                    await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ConnectionErrors.TryTranslate(ex, shadow, "making the Supabase platform's stand-ins in the shadow database", null, whileOpening: false, out var translated))
                {
                    throw translated;
                }
            }
        }
    }

    /// <summary>
    /// Runs statements, each its own command and its own transaction; the first failure names its
    /// line. After each statement a marker query answers its index, so the marker read last before
    /// an error tells which statement failed (the error itself does not say).
    /// </summary>
    private static async Task RunAsync(NpgsqlConnection connection, ConnectionTarget shadow, string file, List<SqlStatement> statements, CancellationToken ct)
    {
        var batch = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
        await using (batch.ConfigureAwait(false))
        {
            for (var i = 0; i < statements.Count; i++)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statements[i].Text));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(string.Create(CultureInfo.InvariantCulture, $"SELECT {i} AS {MarkerColumn}")));
            }

            var done = -1;
            try
            {
                var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    do
                    {
                        var isMarker = reader.FieldCount == 1 && reader.GetName(0) == MarkerColumn;
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            if (isMarker)
                            {
                                done = reader.GetInt32(0);
                            }
                        }
                    }
                    while (await reader.NextResultAsync(ct).ConfigureAwait(false));
                }
            }
            catch (Exception caught) when (ServerError(caught) is { } ex && !ct.IsCancellationRequested)
            {
                var statement = statements[Math.Min(done + 1, statements.Count - 1)];
                throw new DbAdapterException(
                    ErrorIds.SchemaFileInvalid,
                    DbErrorKind.InvalidData,
                    $"{file}: line {LineOf(statement, ex.Position)}: the statement failed in the shadow database: {ConnectionErrors.ServerMessage(ex, shadow)} " +
                    "The expected schema could not be built from the file; nothing was compared or planned. Fix the statement (or read the file without shadow mode).",
                    file,
                    ex);
            }
            catch (Exception ex) when (ConnectionErrors.TryTranslate(ex, shadow, "loading the schema file into the shadow database", file, whileOpening: false, out var translated))
            {
                throw translated;
            }
        }
    }

    /// <summary>
    /// The server's refusal of a statement: the exception itself, or, when later statements of the
    /// batch failed too (each after its own error barrier), the first of the errors Npgsql gathers
    /// while it consumes the rest of the batch; null for anything else (a lost connection).
    /// </summary>
    private static PostgresException? ServerError(Exception exception) => exception switch
    {
        PostgresException pg => pg,
        NpgsqlException { InnerException: AggregateException all } => all.InnerExceptions.OfType<PostgresException>().FirstOrDefault(),
        _ => null,
    };

    /// <summary>The line a server error position (1-based, in characters of the statement) falls on.</summary>
    private static int LineOf(SqlStatement statement, int position)
    {
        var text = statement.Text;
        var line = statement.Line;
        for (var i = 0; i < Math.Min(position - 1, text.Length); i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    /// <summary>Why a statement is not run in the shadow database, or null to run it.</summary>
    private static string? WhyNotRun(SqlStatement statement)
    {
        var first = statement.First;
        if (first.Kind == SqlTokenKind.MetaCommand)
        {
            return "psql meta-commands are not SQL";
        }

        var c = statement.Cursor();
        if (c.AcceptWord("create") || c.AcceptWord("drop") || c.AcceptWord("alter"))
        {
            if (first.IsWord("alter") && c.IsWord("system"))
            {
                return "ALTER SYSTEM changes the server, not a database";
            }

            if (first.IsWord("alter") && c.AreWords("default", "privileges"))
            {
                return "privileges shape no table, and their roles need not exist on the shadow server";
            }

            c.AcceptWords("or", "replace");
            if (c.IsWord("database") || c.IsWord("role") || c.IsWord("user") || c.IsWord("group") || c.IsWord("tablespace"))
            {
                return "databases, roles and tablespaces belong to the whole server, not to the throwaway database";
            }

            if (first.IsWord("alter") && EndsWithOwnerTo(statement))
            {
                return "ownership shapes no table, and the owner need not exist on the shadow server";
            }

            return null;
        }

        if (first.IsWord("grant") || first.IsWord("revoke"))
        {
            return "privileges shape no table, and their roles need not exist on the shadow server";
        }

        return null;
    }

    private static bool EndsWithOwnerTo(SqlStatement statement)
    {
        for (var i = statement.End - 3; i > statement.Start; i--)
        {
            if (statement.Tokens[i].IsWord("owner") && statement.Tokens[i + 1].IsWord("to"))
            {
                return i + 3 >= statement.End;
            }
        }

        return false;
    }

    /// <summary>A fresh connection (the file may have left its session in any state) and the one introspector.</summary>
    private static async Task<SchemaModel> IntrospectAsync(ConnectionTarget shadow, IReadOnlyList<string> schemas, CancellationToken ct)
    {
        var connection = await OpenAsync(shadow, "connecting to the shadow database", ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                return await SchemaIntrospector.ReadAsync(connection, schemas, forRepair: true, statistics: null, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ConnectionErrors.TryTranslate(ex, shadow, "reading the shadow database's catalog", null, whileOpening: false, out var translated))
            {
                throw translated;
            }
        }
    }

    /// <summary>
    /// Drops the throwaway database, whatever happened before (not cancellable: a cancelled load must
    /// still clean up). A failure is a warning naming the database, never an error hiding the first one.
    /// </summary>
    private static async Task DropAsync(ConnectionTarget admin, string name, IOperationReporter reporter)
    {
        if (!name.StartsWith(NamePrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Refusing to drop '{name}': shadow mode drops only databases it created.");
        }

        using var timeout = new CancellationTokenSource(DropTimeout);
        try
        {
            var connection = await OpenAsync(admin, "connecting to drop the shadow database", timeout.Token).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {SqlIdentifier.Quote(name)} WITH (FORCE)", connection);
                await using (drop.ConfigureAwait(false))
                {
                    await drop.ExecuteNonQueryAsync(timeout.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is DbAdapterException or OperationCanceledException or NpgsqlException or TimeoutException or IOException)
        {
            var why = ex is DbAdapterException ? ex.Message : ConnectionErrors.ServerMessage(ex, admin);
            reporter.Warning($"The shadow database {name} on {admin.Host}:{admin.Port.ToString(CultureInfo.InvariantCulture)} could not be dropped ({why}). Drop it by hand: DROP DATABASE {SqlIdentifier.Quote(name)};");
        }
    }
}

using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Tests.Support;

namespace DbAdapter.Core.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Every_key_of_the_design_is_read()
    {
        var path = _folder.Write("db.toml", """
            [profiles.local]
            url = "postgresql://app:[YOUR-PASSWORD]@localhost:5432/app?sslmode=disable"
            description = "Local development"
            db_password = "s3cret"
            password_env = "APP_DB_PASSWORD"
            provider = "postgres"
            schemas = ["public", "audit"]

            [profiles.cloud]
            url = "Host=db.example.supabase.co;Database=postgres"
            provider = "supabase"

            [schema]
            file = "schema.sql"
            validate_on_connect = false
            column_defs = "column-defs.json"
            backup_schema = "backup-schema.json"

            [[backup.tables]]
            name = "categories"

            [[backup.tables]]
            name = "products"
            pk = "product_id"
            slug_field = "code"
            user_field = "owner_id"
            parent = { table = "categories", field = "category_id" }
            optional_refs = [{ table = "images", field = "image_id" }, { table = "brands", field = "brand_id" }]

            [sync]
            tables = ["categories", "products"]

            [defaults]
            user_id_env = "DEV_USER_ID"
            """);

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        Assert.Equal(path, config.FilePath);
        Assert.Equal(_folder.Path, config.Directory);
        Assert.Empty(config.Warnings);
        Assert.Equal(["local", "cloud"], config.Profiles.Select(p => p.Name));

        var local = config.Profiles[0];
        Assert.Equal("postgresql://app:[YOUR-PASSWORD]@localhost:5432/app?sslmode=disable", local.Url);
        Assert.Equal("Local development", local.Description);
        Assert.Equal("s3cret", local.DbPassword);
        Assert.Equal("APP_DB_PASSWORD", local.PasswordEnv);
        Assert.Equal("postgres", local.Provider);
        Assert.Equal(["public", "audit"], local.Schemas);

        var cloud = config.FindProfile("cloud")!;
        Assert.Equal("supabase", cloud.Provider);
        Assert.Null(cloud.Description);
        Assert.Null(cloud.DbPassword);
        Assert.Null(cloud.PasswordEnv);
        Assert.Equal(["public"], cloud.Schemas);

        Assert.Equal(_folder.Combine("schema.sql"), config.Schema.File);
        Assert.False(config.Schema.ValidateOnConnect);
        Assert.Equal(_folder.Combine("column-defs.json"), config.Schema.ColumnDefs);
        Assert.Equal(_folder.Combine("backup-schema.json"), config.Schema.BackupSchema);

        Assert.Equal(2, config.BackupTables.Count);
        var categories = config.BackupTables[0];
        Assert.Equal("categories", categories.Name);
        Assert.Equal("id", categories.Pk);
        Assert.Equal("slug", categories.SlugField);
        Assert.Equal("user_id", categories.UserField);
        Assert.Null(categories.Parent);
        Assert.Empty(categories.OptionalRefs);

        var products = config.BackupTables[1];
        Assert.Equal("products", products.Name);
        Assert.Equal("product_id", products.Pk);
        Assert.Equal("code", products.SlugField);
        Assert.Equal("owner_id", products.UserField);
        Assert.Equal(new TableFieldRef("categories", "category_id"), products.Parent);
        Assert.Equal([new TableFieldRef("images", "image_id"), new TableFieldRef("brands", "brand_id")], products.OptionalRefs);

        Assert.Equal(["categories", "products"], config.SyncTables);
        Assert.Equal("DEV_USER_ID", config.UserIdEnv);
    }

    [Fact]
    public async Task Defaults_apply_when_sections_are_absent()
    {
        var path = _folder.Write("db.toml", """
            [profiles.only]
            url = "postgres://localhost/app"
            """);

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        Assert.True(config.Schema.ValidateOnConnect);
        Assert.Null(config.Schema.File);
        Assert.Null(config.Schema.ColumnDefs);
        Assert.Null(config.Schema.BackupSchema);
        Assert.Empty(config.BackupTables);
        Assert.Empty(config.SyncTables);
        Assert.Null(config.UserIdEnv);
        Assert.Equal("postgres", config.Profiles[0].Provider);
        Assert.Equal(["public"], config.Profiles[0].Schemas);
    }

    [Fact]
    public async Task An_empty_file_is_a_config_without_profiles()
    {
        var config = await ConfigLoader.LoadAsync(_folder.Write("db.toml", string.Empty), CancellationToken.None);
        Assert.Empty(config.Profiles);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public async Task Relative_paths_resolve_against_the_folder_of_db_toml_not_the_process()
    {
        var path = _folder.Write("conf/db.toml", """
            [schema]
            file = "../sql/schema.sql"
            column_defs = "defs/column-defs.json"
            backup_schema = "/abs/backup-schema.json"
            """);

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        Assert.Equal(_folder.Combine("sql", "schema.sql"), config.Schema.File);
        Assert.Equal(_folder.Combine("conf", "defs", "column-defs.json"), config.Schema.ColumnDefs);
        Assert.Equal("/abs/backup-schema.json", config.Schema.BackupSchema);
        Assert.Equal(_folder.Combine("conf"), config.Directory);
    }

    [Fact]
    public async Task Shadow_mode_is_read_as_a_switch_or_a_server_but_not_both()
    {
        var own = await ConfigLoader.LoadAsync(_folder.Write("a/db.toml", "[schema]\nshadow = true\n"), CancellationToken.None);
        var other = await ConfigLoader.LoadAsync(_folder.Write("b/db.toml", "[schema]\nshadow_database = \" scratch \"\n"), CancellationToken.None);
        var none = await ConfigLoader.LoadAsync(_folder.Write("c/db.toml", "[schema]\nfile = \"s.sql\"\n"), CancellationToken.None);

        Assert.Equal((true, (string?)null), (own.Schema.Shadow, own.Schema.ShadowDatabase));
        Assert.Equal((false, "scratch"), (other.Schema.Shadow, other.Schema.ShadowDatabase));
        Assert.Equal((false, (string?)null), (none.Schema.Shadow, none.Schema.ShadowDatabase));
        Assert.Empty(own.Warnings.Concat(other.Warnings));

        var both = _folder.Write("d/db.toml", "[schema]\nshadow = true\nshadow_database = \"scratch\"\n");
        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(both, CancellationToken.None));
        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.Contains("not both", ex.Message, StringComparison.Ordinal);
        Assert.Contains("db.toml(2,1): schema.shadow", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_tables_may_also_be_an_inline_array()
    {
        var path = _folder.Write("db.toml", """
            [backup]
            tables = [{ name = "a" }, { name = "b", parent = { table = "a", field = "a_id" } }]
            """);

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        Assert.Equal(["a", "b"], config.BackupTables.Select(t => t.Name));
        Assert.Equal(new TableFieldRef("a", "a_id"), config.BackupTables[1].Parent);
    }

    [Fact]
    public async Task A_missing_file_is_ConfigNotFound_naming_the_path()
    {
        var path = _folder.Combine("nowhere", "db.toml");

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigNotFound, ex.ErrorId);
        Assert.Equal(DbErrorKind.ObjectNotFound, ex.Kind);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.Target);
    }

    [Fact]
    public async Task A_syntax_error_names_file_line_and_column()
    {
        var path = _folder.Write("db.toml", """
            [profiles.local]
            url = "postgres://localhost/app"
            description = "Local" oops
            """);

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.Equal(DbErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"{path}(3,23): ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.Target);
    }

    [Fact]
    public async Task A_key_defined_twice_is_a_syntax_error_at_the_second_definition()
    {
        var path = _folder.Write("db.toml", """
            [profiles.local]
            url = "postgres://localhost/app"
            url = "postgres://localhost/other"
            """);

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.StartsWith($"{path}(3,1): ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[schema]\nvalidate_on_connect = \"yes\"\n", "schema.validate_on_connect", 2, "boolean")]
    [InlineData("[schema]\nfile = 42\n", "schema.file", 2, "string")]
    [InlineData("[profiles.p]\nurl = \"postgres://h/d\"\nschemas = \"public\"\n", "profiles.p.schemas", 3, "array")]
    [InlineData("[profiles.p]\nurl = \"postgres://h/d\"\nschemas = [\"public\", 3]\n", "profiles.p.schemas", 3, "item 1")]
    [InlineData("[profiles.p]\nurl = [\"postgres://h/d\"]\n", "profiles.p.url", 2, "string")]
    [InlineData("[sync]\ntables = \"a\"\n", "sync.tables", 2, "array")]
    [InlineData("[defaults]\nuser_id_env = true\n", "defaults.user_id_env", 2, "string")]
    [InlineData("[[backup.tables]]\nname = \"a\"\npk = 1\n", "backup.tables[0].pk", 3, "string")]
    [InlineData("[[backup.tables]]\nname = \"a\"\nparent = \"b\"\n", "backup.tables[0].parent", 3, "table")]
    [InlineData("[[backup.tables]]\nname = \"a\"\noptional_refs = [\"b\"]\n", "backup.tables[0].optional_refs", 3, "table")]
    [InlineData("profiles = 3\n", "profiles", 1, "table")]
    [InlineData("[profiles]\nlocal = \"postgres://h/d\"\n", "profiles.local", 2, "table")]
    public async Task A_value_of_the_wrong_type_names_file_key_path_and_line(string toml, string keyPath, int line, string expected)
    {
        var path = _folder.Write("db.toml", toml);

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.Equal(DbErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"{path}({line},", ex.Message, StringComparison.Ordinal);
        Assert.Contains($": {keyPath}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_without_url_is_invalid_and_points_at_the_profile()
    {
        var path = _folder.Write("db.toml", """
            [profiles.ok]
            url = "postgres://h/d"

            [profiles.broken]
            description = "no url here"
            """);

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.StartsWith($"{path}(4,", ex.Message, StringComparison.Ordinal);
        Assert.Contains("profiles.broken", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'url' is required", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("provider = \"mysql\"", "profiles.p.provider")]
    [InlineData("schemas = []", "profiles.p.schemas")]
    [InlineData("password_env = \"\"", "profiles.p.password_env")]
    public async Task Semantic_errors_name_the_key_path(string line, string keyPath)
    {
        var path = _folder.Write("db.toml", $"[profiles.p]\nurl = \"postgres://h/d\"\n{line}\n");

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.StartsWith($"{path}(3,1): {keyPath}: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transaction", "transaction")]
    [InlineData("Session", "session")]
    [InlineData(" NONE ", "none")]
    public async Task Pooling_is_read_case_insensitively_without_a_warning(string written, string stored)
    {
        var path = _folder.Write("db.toml", $"[profiles.p]\nurl = \"postgres://h/d\"\npooling = \"{written}\"\n");

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        Assert.Equal(stored, config.Profiles[0].Pooling);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public async Task Pooling_is_null_when_the_key_is_absent()
    {
        var path = _folder.Write("db.toml", "[profiles.p]\nurl = \"postgres://h/d\"\n");
        Assert.Null((await ConfigLoader.LoadAsync(path, CancellationToken.None)).Profiles[0].Pooling);
    }

    [Theory]
    [InlineData("pooling = \"transactions\"", "found \"transactions\".")]
    [InlineData("pooling = \"statement\"", "statement pooling cannot run the transactions")]
    [InlineData("pooling = true", "expected a string")]
    [InlineData("pooling = \"\"", "must not be empty")]
    public async Task A_bad_pooling_value_is_config_invalid_naming_file_line_and_key(string line, string reason)
    {
        var path = _folder.Write("db.toml", $"[profiles.p]\nurl = \"postgres://h/d\"\n{line}\n");

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.StartsWith($"{path}(3,1): profiles.p.pooling: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        if (line.Contains("transactions", StringComparison.Ordinal))
        {
            Assert.Contains("must be \"transaction\", \"session\", \"none\"", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Provider_is_case_insensitive_and_stored_lower_case()
    {
        var path = _folder.Write("db.toml", "[profiles.p]\nurl = \"postgres://h/d\"\nprovider = \"Supabase\"\n");
        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);
        Assert.Equal("supabase", config.Profiles[0].Provider);
    }

    [Fact]
    public async Task A_backup_parent_without_field_is_invalid()
    {
        var path = _folder.Write("db.toml", "[[backup.tables]]\nname = \"b\"\nparent = { table = \"a\" }\n");

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Contains("backup.tables[0].parent", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'field' is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_keys_anywhere_become_warnings_with_key_path_and_line()
    {
        var path = _folder.Write("db.toml", """
            colour = "blue"
            [profiles.local]
            url = "postgres://localhost/app"
            pasword = "hunter2"
            [schema]
            validate = true
            [[backup.tables]]
            name = "a"
            parent = { table = "x", field = "y", kind = "z" }
            optional_refs = [{ table = "x", field = "y", extra = 1 }]
            slug = "s"
            [sync]
            table = ["a"]
            [defaults]
            user = "u"
            [extras.deep]
            k = 1
            """);

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        void AssertWarning(string keyPath, int line) =>
            Assert.Contains(config.Warnings, w => w.StartsWith($"{path}({line},", StringComparison.Ordinal) && w.Contains($"'{keyPath}'", StringComparison.Ordinal));

        AssertWarning("colour", 1);
        AssertWarning("profiles.local.pasword", 4);
        AssertWarning("schema.validate", 6);
        AssertWarning("backup.tables[0].parent.kind", 9);
        AssertWarning("backup.tables[0].optional_refs[0].extra", 10);
        AssertWarning("backup.tables[0].slug", 11);
        AssertWarning("sync.table", 13);
        AssertWarning("defaults.user", 15);
        AssertWarning("extras", 16);
        Assert.Equal(9, config.Warnings.Count);
        Assert.DoesNotContain(config.Warnings, w => w.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quoted_profile_names_keep_their_text_and_are_quoted_in_key_paths()
    {
        var path = _folder.Write("db.toml", "[profiles.\"my prod\"]\nurl = \"postgres://h/d\"\ntypo = 1\n");

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        Assert.Equal("my prod", config.Profiles[0].Name);
        Assert.Contains(config.Warnings, w => w.Contains("'profiles.\"my prod\".typo'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        var path = _folder.Write("db.toml", string.Empty);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ConfigLoader.LoadAsync(path, cts.Token));
    }
}

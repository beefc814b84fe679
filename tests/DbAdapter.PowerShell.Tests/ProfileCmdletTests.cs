using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>Get-DbProfile, Connect-DbProfile and Disconnect-DbProfile against a real server, through the built module.</summary>
public sealed class ProfileCmdletTests(ProfileDatabase db) : IClassFixture<ProfileDatabase>
{
    private static string Prefix() => "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + "_";

    private string NewFolder(string? toml = null)
    {
        var folder = Path.Combine(db.Folder, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        db.WriteConfig(toml ?? db.StandardToml(), folder);
        return folder;
    }

    [Fact]
    public void Get_DbProfile_lists_profiles_without_passwords()
    {
        var folder = NewFolder();
        using var host = new ModuleHost(folder);
        var result = host.Run($"Get-DbProfile -EnvPrefix {Prefix()}").ShouldSucceed();
        var names = result.Output.Select(o => (string)o.Properties["Name"].Value).ToArray();
        Assert.Equal(["local", "other", "refused", "wrongpw", "nohost"], names);
        var local = result.Output[0];
        Assert.Equal("DbAdapter.DbProfileInfo", local.BaseObject.GetType().FullName);
        Assert.Equal(db.Server.Host, local.Properties["Host"].Value);
        Assert.Equal(db.Server.Port, local.Properties["Port"].Value);
        Assert.Equal(db.Name, local.Properties["Database"].Value);
        Assert.Equal(db.Role, local.Properties["UserName"].Value);
        Assert.Equal("postgres", local.Properties["Provider"].Value);
        Assert.Equal("Local test database", local.Properties["Description"].Value);
        Assert.False((bool)local.Properties["IsCurrent"].Value);
        Assert.Equal(string.Empty, local.Properties["CurrentSource"].Value);
        Assert.DoesNotContain(ProfileDatabase.Password, result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Get_DbProfile_filters_by_wildcard_and_reports_unknown_names()
    {
        var folder = NewFolder();
        using var host = new ModuleHost(folder);
        var result = host.Run($"Get-DbProfile -Name 'o*','missing' -EnvPrefix {Prefix()}");
        Assert.Equal(["other"], result.Output.Select(o => (string)o.Properties["Name"].Value).ToArray());
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ProfileNotFound", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("missing", error.TargetObject);
    }

    [Fact]
    public void Connect_DbProfile_connects_for_real_counts_rows_and_becomes_current()
    {
        var folder = NewFolder();
        var prefix = Prefix();
        using var host = new ModuleHost(folder);
        var result = host.Run($"Connect-DbProfile local -EnvPrefix {prefix}").ShouldSucceed();
        var info = Assert.Single(result.Output);
        Assert.Equal("DbAdapter.DbConnectionInfo", info.BaseObject.GetType().FullName);
        Assert.Equal("local", info.Properties["Profile"].Value);
        Assert.Equal(db.Name, info.Properties["Database"].Value);
        Assert.Equal(db.Role, info.Properties["UserName"].Value);
        Assert.StartsWith("15", (string)info.Properties["ServerVersion"].Value, StringComparison.Ordinal);
        Assert.Null(info.Properties["SchemaValidated"].Value);
        var tables = ((object[])info.Properties["Tables"].Value).Select(PSObject.AsPSObject)
            .ToDictionary(t => (string)t.Properties["Table"].Value, t => (long)t.Properties["Rows"].Value);
        Assert.Equal(3, tables["categories"]);
        Assert.Equal(7, tables["products"]);
        Assert.Equal(0, tables["MixedCase"]);

        Assert.Equal("local", File.ReadAllText(Path.Combine(folder, ".db-profile")).Trim());
        var current = host.Run($"Get-DbProfile -Current -EnvPrefix {prefix}").ShouldSucceed();
        var profile = Assert.Single(current.Output);
        Assert.Equal("local", profile.Properties["Name"].Value);
        Assert.Equal("Session", profile.Properties["CurrentSource"].Value);
        Assert.DoesNotContain(ProfileDatabase.Password, result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Get_DbProfile_pipes_into_Connect_DbProfile()
    {
        var folder = NewFolder();
        using var host = new ModuleHost(folder);
        var result = host.Run($"Get-DbProfile local, other -EnvPrefix {Prefix()} | Connect-DbProfile").ShouldSucceed();
        Assert.Equal(["local", "other"], result.Output.Select(o => (string)o.Properties["Profile"].Value).ToArray());
        Assert.Equal("other", File.ReadAllText(Path.Combine(folder, ".db-profile")).Trim());
    }

    [Theory]
    [InlineData("refused", "ConnectionFailed", ErrorCategory.ConnectionError)]
    [InlineData("nohost", "ConnectionFailed", ErrorCategory.ConnectionError)]
    [InlineData("wrongpw", "AuthenticationFailed", ErrorCategory.AuthenticationError)]
    [InlineData("nosuchprofile", "ProfileNotFound", ErrorCategory.ObjectNotFound)]
    public void Connect_failures_are_distinct_errors_naming_the_profile_never_the_password(string profile, string errorId, ErrorCategory category)
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, ".db-profile"), "other");
        using var host = new ModuleHost(folder);
        var result = host.Run($"Connect-DbProfile {profile} -EnvPrefix {Prefix()} -Verbose");
        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(profile, error.Exception.Message, StringComparison.Ordinal);
        if (profile == "wrongpw" && db.Server.ThroughPooler)
        {
            // Through PgBouncer the refusal is the pooler's own (SQLSTATE 08P01), and says so.
            Assert.Contains("pooler", error.Exception.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(ProfileDatabase.Password, result.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Pw@", result.AllText(), StringComparison.Ordinal);
        Assert.Equal("other", File.ReadAllText(Path.Combine(folder, ".db-profile")).Trim());
    }

    [Fact]
    public void Missing_config_and_bad_toml_are_their_own_errors()
    {
        var empty = Path.Combine(db.Folder, "empty-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(empty);
        using (var host = new ModuleHost(empty))
        {
            var missing = host.Run($"Connect-DbProfile local -EnvPrefix {Prefix()}");
            Assert.StartsWith("ConfigNotFound", Assert.Single(missing.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
            var list = host.Run("Get-DbProfile");
            Assert.StartsWith("ConfigNotFound", Assert.Single(list.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        }

        var bad = NewFolder("[profiles.local]\nurl = \"postgresql://x@h/db\"\ndb_password = \"" + ProfileDatabase.Password + "\"\ndescription = oops\n");
        using (var host = new ModuleHost(bad))
        {
            var result = host.Run($"Connect-DbProfile local -EnvPrefix {Prefix()}");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("ConfigInvalid", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("db.toml", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("4", error.Exception.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ProfileDatabase.Password, result.AllText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unknown_keys_are_warned_about()
    {
        var folder = NewFolder(db.StandardToml("\n[profiles.local2]\nurl = \"postgresql://a@b/c\"\npasword = \"typo\"\n"));
        using var host = new ModuleHost(folder);
        var result = host.Run("Get-DbProfile local2").ShouldSucceed();
        Assert.Contains(result.Warnings, w => w.Message.Contains("pasword", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolution_order_is_session_then_env_then_lock_file_then_database_url()
    {
        var folder = NewFolder();
        var prefix = Prefix();
        try
        {
            // Lock file only.
            File.WriteAllText(Path.Combine(folder, ".db-profile"), "other\n");
            using var host = new ModuleHost(folder);
            Assert.Equal("LockFile", Current(host, prefix).Source);
            Assert.Equal("other", Current(host, prefix).Name);

            // Env beats the lock file; an empty env var counts as unset.
            Environment.SetEnvironmentVariable(prefix + "DB_PROFILE", string.Empty);
            Assert.Equal("LockFile", Current(host, prefix).Source);
            Environment.SetEnvironmentVariable(prefix + "DB_PROFILE", "local");
            Assert.Equal(("local", "Environment"), Current(host, prefix));

            // The session beats env.
            host.Run($"Connect-DbProfile other -EnvPrefix {prefix}").ShouldSucceed();
            Assert.Equal(("other", "Session"), Current(host, prefix));

            // Another runspace does not share the session: it sees env.
            using (var second = new ModuleHost(folder))
            {
                Assert.Equal(("local", "Environment"), Current(second, prefix));
            }

            // Disconnect forgets the session and the lock file; env still chooses.
            host.Run($"Disconnect-DbProfile -EnvPrefix {prefix}").ShouldSucceed();
            Assert.False(File.Exists(Path.Combine(folder, ".db-profile")));
            Assert.Equal(("local", "Environment"), Current(host, prefix));

            // With nothing else, {prefix}DATABASE_URL connects in direct mode.
            Environment.SetEnvironmentVariable(prefix + "DB_PROFILE", null);
            Environment.SetEnvironmentVariable(prefix + "DATABASE_URL", db.Server.Uri(db.Name, db.Role, ProfileDatabase.Password));
            var direct = host.Run($"Connect-DbProfile -EnvPrefix {prefix}").ShouldSucceed();
            var info = Assert.Single(direct.Output);
            Assert.Equal(string.Empty, info.Properties["Profile"].Value);
            Assert.Equal(db.Name, info.Properties["Database"].Value);
            Assert.False(File.Exists(Path.Combine(folder, ".db-profile")));
            Assert.DoesNotContain(ProfileDatabase.Password, direct.AllText(), StringComparison.Ordinal);

            // A profile named by the env var that db.toml lacks: the message names the prefixed variable.
            host.Run($"Disconnect-DbProfile -EnvPrefix {prefix}").ShouldSucceed();
            Environment.SetEnvironmentVariable(prefix + "DB_PROFILE", "ghost");
            var ghost = Assert.Single(host.Run($"Connect-DbProfile -EnvPrefix {prefix}").Errors);
            Assert.StartsWith("ProfileNotFound", ghost.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains(prefix + "DB_PROFILE", ghost.Exception.Message, StringComparison.Ordinal);
            Environment.SetEnvironmentVariable(prefix + "DB_PROFILE", null);

            // Nothing at all: ProfileNotFound naming what was tried.
            Environment.SetEnvironmentVariable(prefix + "DATABASE_URL", null);
            host.Run($"Disconnect-DbProfile -EnvPrefix {prefix}").ShouldSucceed();
            var none = host.Run($"Connect-DbProfile -EnvPrefix {prefix}");
            var error = Assert.Single(none.Errors);
            Assert.StartsWith("ProfileNotFound", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains(prefix + "DB_PROFILE", error.Exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "DB_PROFILE", null);
            Environment.SetEnvironmentVariable(prefix + "DATABASE_URL", null);
        }
    }

    [Fact]
    public void Credential_overrides_every_other_password_source_and_is_never_shown()
    {
        var folder = NewFolder();
        using var host = new ModuleHost(folder);
        var credential = new PSCredential(db.Role, ToSecure(ProfileDatabase.Password));
        var result = host.Run($"Connect-DbProfile wrongpw -Credential $cred -EnvPrefix {Prefix()} -Verbose", new Dictionary<string, object?> { ["cred"] = credential }).ShouldSucceed();
        Assert.Equal("wrongpw", Assert.Single(result.Output).Properties["Profile"].Value);
        Assert.DoesNotContain(ProfileDatabase.Password, result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_and_the_current_profile_never_follow_a_profile_name_into_another_db_toml()
    {
        // Another database owned by another login, named "prod" in other db.toml files.
        var other = "bob_" + Guid.NewGuid().ToString("N")[..10];
        const string OtherPassword = "Bob-0ther-Pw-9913";
        var otherDatabase = await db.Server.CreateDatabaseAsync("bob");
        await db.Server.ExecuteAsync(db.Server.MaintenanceDatabase, $"CREATE ROLE {other} LOGIN PASSWORD '{OtherPassword}'; ALTER DATABASE \"{otherDatabase}\" OWNER TO {other};");
        try
        {
            var otherUrl = $"postgresql://{other}:[YOUR-PASSWORD]@{db.Server.Host}:{db.Server.Port}/{otherDatabase}?sslmode=disable";
            var a = NewFolder($"[profiles.prod]\nurl = \"{db.PlaceholderUrl}\"\n");
            var withPassword = NewFolder($"[profiles.prod]\nurl = \"{otherUrl}\"\ndb_password = \"{OtherPassword}\"\n");
            var withoutPassword = NewFolder($"[profiles.prod]\nurl = \"{otherUrl}\"\n");
            var prefix = Prefix();
            var variables = new Dictionary<string, object?>
            {
                ["alice"] = new PSCredential(db.Role, ToSecure(ProfileDatabase.Password)),
                ["a"] = Path.Combine(a, "db.toml"),
                ["b"] = Path.Combine(withPassword, "db.toml"),
                ["c"] = Path.Combine(withoutPassword, "db.toml"),
            };
            using var host = new ModuleHost(db.Folder);

            var first = Assert.Single(host.Run($"Connect-DbProfile prod -ConfigPath $a -Credential $alice -EnvPrefix {prefix}", variables).ShouldSucceed().Output);
            Assert.Equal(db.Role, first.Properties["UserName"].Value);
            Assert.Equal(db.Name, first.Properties["Database"].Value);

            // b's prod connects with its own user and password, not alice's.
            var second = Assert.Single(host.Run($"Connect-DbProfile prod -ConfigPath $b -EnvPrefix {prefix}", variables).ShouldSucceed().Output);
            Assert.Equal(other, second.Properties["UserName"].Value);
            Assert.Equal(otherDatabase, second.Properties["Database"].Value);

            // c's prod has no password of its own: it gets none, rather than alice's.
            var refused = host.Run($"Connect-DbProfile prod -ConfigPath $c -EnvPrefix {prefix} -Verbose", variables);
            var error = Assert.Single(refused.Errors);
            Assert.StartsWith("ConfigInvalid", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("no password was supplied", error.Exception.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ProfileDatabase.Password, refused.AllText(), StringComparison.Ordinal);

            // Back in a's folder, a's prod still gets the credential given for it.
            var again = Assert.Single(host.Run($"Connect-DbProfile prod -ConfigPath $a -EnvPrefix {prefix}", variables).ShouldSucceed().Output);
            Assert.Equal(db.Role, again.Properties["UserName"].Value);

            // The session's current profile belongs to a's db.toml: c's db.toml has none of it.
            Assert.Empty(host.Run($"Get-DbProfile -Current -ConfigPath $c -EnvPrefix {prefix}", variables).ShouldSucceed().Output);
            var current = Assert.Single(host.Run($"Get-DbProfile -Current -ConfigPath $a -EnvPrefix {prefix}", variables).ShouldSucceed().Output);
            Assert.Equal("Session", current.Properties["CurrentSource"].Value);
        }
        finally
        {
            await db.Server.DropDatabaseAsync(otherDatabase);
            await db.Server.ExecuteAsync(db.Server.MaintenanceDatabase, $"DROP ROLE IF EXISTS {other}");
        }
    }

    [Fact]
    public void Errors_carry_advice_in_the_module_s_words_while_the_engine_names_no_cmdlet()
    {
        var folder = NewFolder();
        using var host = new ModuleHost(folder);

        var error = Assert.Single(host.Run($"Test-DbSchema -EnvPrefix {Prefix()}").Errors);

        Assert.StartsWith("ProfileNotFound", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.DoesNotContain("Connect-DbProfile", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-Profile", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("Pass -Profile <name>, or run Connect-DbProfile <name> to make one current.", error.ErrorDetails.RecommendedAction);
        Assert.Equal($"{error.Exception.Message} {error.ErrorDetails.RecommendedAction}", error.ErrorDetails.Message);
    }

    [Fact]
    public void A_lock_file_that_cannot_be_written_is_an_error_with_its_own_id_and_the_profile_does_not_become_current()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, ".db-profile"));
        var prefix = Prefix();
        using var host = new ModuleHost(folder);

        var result = host.Run($"Connect-DbProfile local -EnvPrefix {prefix}");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("LockFileNotWritten", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        Assert.Empty(result.Output);
        Assert.Empty(Directory.GetFiles(folder, ".db-profile*"));

        // A lock file that cannot be read is an error too, never a silent guess.
        var unreadable = Assert.Single(host.Run($"Get-DbProfile -Current -EnvPrefix {prefix}").Errors);
        Assert.StartsWith("LockFileNotReadable", unreadable.FullyQualifiedErrorId, StringComparison.Ordinal);

        // The session did not make the profile current either.
        Directory.Delete(Path.Combine(folder, ".db-profile"));
        Assert.Empty(host.Run($"Get-DbProfile -Current -EnvPrefix {prefix}").ShouldSucceed().Output);
    }

    [Fact]
    public void Direct_connection_string_works_without_db_toml()
    {
        var empty = Path.Combine(db.Folder, "direct-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(empty);
        using var host = new ModuleHost(empty);
        var result = host.Run("Connect-DbProfile -ConnectionString $cs -Verbose", new Dictionary<string, object?> { ["cs"] = db.Server.ConnectionString(db.Name, db.Role, ProfileDatabase.Password) }).ShouldSucceed();
        Assert.Equal(db.Name, Assert.Single(result.Output).Properties["Database"].Value);
        Assert.False(File.Exists(Path.Combine(empty, ".db-profile")));
        Assert.DoesNotContain(ProfileDatabase.Password, result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_that_declares_a_transaction_pooler_says_so_and_works_like_any_other()
    {
        var folder = NewFolder($"""
            [profiles.pooled]
            url = "{db.PlaceholderUrl}"
            db_password = "{ProfileDatabase.Password}"
            pooling = "transaction"
            """);
        using var host = new ModuleHost(folder);

        var result = host.Run($"Connect-DbProfile pooled -EnvPrefix {Prefix()} -Verbose").ShouldSucceed();

        Assert.Empty(result.Warnings);
        Assert.Contains(result.Verbose, v => v.Message.Contains("transaction pooler (pooling = \"transaction\" in db.toml)", StringComparison.Ordinal));
        var products = ((object[])Assert.Single(result.Output).Properties["Tables"].Value).Select(PSObject.AsPSObject)
            .Single(t => (string)t.Properties["Table"].Value == "products");
        Assert.Equal(7L, products.Properties["Rows"].Value);
    }

    [Fact]
    public void Profile_names_tab_complete_from_db_toml()
    {
        var folder = NewFolder();
        using var host = new ModuleHost(folder);
        var result = host.Run("(TabExpansion2 -inputScript 'Connect-DbProfile -Name o' -cursorColumn 25).CompletionMatches | ForEach-Object { $_.CompletionText }").ShouldSucceed();
        Assert.Equal(["other"], result.Output.Select(o => o.ToString()).ToArray());
    }

    [Fact]
    public void Engine_and_Npgsql_load_in_the_private_context_only()
    {
        var folder = NewFolder();
        using var host = new ModuleHost(folder);
        host.Run($"Connect-DbProfile local -EnvPrefix {Prefix()}").ShouldSucceed();
        var contexts = System.Runtime.Loader.AssemblyLoadContext.All.ToList();
        var priv = Assert.Single(contexts, c => c.Name == "DbAdapter.Dependencies");
        var privateNames = priv.Assemblies.Select(a => a.GetName().Name).ToHashSet();
        Assert.Contains("DbAdapter.Core", privateNames);
        Assert.Contains("Npgsql", privateNames);
        Assert.Contains("Tomlyn", privateNames);
        var defaultNames = System.Runtime.Loader.AssemblyLoadContext.Default.Assemblies.Select(a => a.GetName().Name).ToHashSet();
        Assert.DoesNotContain("DbAdapter.Core", defaultNames);
        Assert.DoesNotContain("Npgsql", defaultNames);
        Assert.DoesNotContain("Tomlyn", defaultNames);
        Assert.Contains("DbAdapter.PowerShell", defaultNames);
    }

    [Fact]
    public async Task Stopping_the_pipeline_cancels_the_database_work()
    {
        var folder = NewFolder();
        using var host = new ModuleHost(folder);
        // Hold an exclusive lock so that counting rows blocks until the pipeline is stopped.
        var locker = Task.Run(() => db.ExecuteAsync("BEGIN; LOCK TABLE products IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(20); COMMIT;"));
        await LockWaiter.WaitForLockAsync(db.Server, db.Name, "products", "AccessExclusiveLock");
        var (shell, handle) = host.Start($"Connect-DbProfile local -EnvPrefix {Prefix()}");
        using (shell)
        {
            await Task.Delay(1500);
            Assert.False(handle.IsCompleted);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            shell.Stop();
            await Assert.ThrowsAnyAsync<PipelineStoppedException>(() => Task.Factory.FromAsync(handle, shell.EndInvoke));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"stop took {watch.Elapsed}");
        }

        Assert.False(File.Exists(Path.Combine(folder, ".db-profile")));
        await db.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(20)%' AND datname = current_database() AND pid <> pg_backend_pid()");
        await Assert.ThrowsAnyAsync<Exception>(() => locker);
    }

    private static (string Name, string Source) Current(ModuleHost host, string prefix)
    {
        var result = host.Run($"Get-DbProfile -Current -EnvPrefix {prefix}").ShouldSucceed();
        var profile = Assert.Single(result.Output);
        return ((string)profile.Properties["Name"].Value, (string)profile.Properties["CurrentSource"].Value);
    }

    private static System.Security.SecureString ToSecure(string text)
    {
        var secure = new System.Security.SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}

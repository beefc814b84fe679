using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Tests.Support;

namespace DbAdapter.Core.Tests.Profiles;

public sealed class CurrentProfileResolverTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static IEnvironment Env(params (string Name, string? Value)[] values) =>
        new DictionaryEnvironment(values.ToDictionary(v => v.Name, v => v.Value));

    /// <summary>Every source set at once; each test removes the ones above the step it checks.</summary>
    private ProfileSelection ResolveWith(bool explicitProfile, bool sessionProfile, bool sessionDirect, bool envProfile, bool lockFile, bool envUrl, string prefix = "")
    {
        if (lockFile)
        {
            File.WriteAllText(_folder.Combine(LockFile.FileName), "from-lock\n");
        }
        else
        {
            LockFile.Delete(_folder.Path);
        }

        var env = Env(
            ($"{prefix}DB_PROFILE", envProfile ? "from-env" : null),
            ($"{prefix}DATABASE_URL", envUrl ? "postgres://from-url@h/d" : null));
        var session = sessionProfile || sessionDirect
            ? new SessionCurrent(sessionProfile ? "from-session" : null, sessionDirect ? "postgres://from-session@h/d" : null, null)
            : null;

        return CurrentProfileResolver.Resolve(explicitProfile ? "from-explicit" : null, session, prefix, _folder.Path, env);
    }

    [Fact]
    public void Explicit_profile_wins_over_everything()
    {
        var selection = ResolveWith(explicitProfile: true, sessionProfile: true, sessionDirect: true, envProfile: true, lockFile: true, envUrl: true);
        Assert.Equal(new ProfileSelection("from-explicit", null, ProfileSource.Explicit), selection);
    }

    [Fact]
    public void Session_profile_wins_over_env_lock_and_url()
    {
        var selection = ResolveWith(explicitProfile: false, sessionProfile: true, sessionDirect: false, envProfile: true, lockFile: true, envUrl: true);
        Assert.Equal(new ProfileSelection("from-session", null, ProfileSource.Session), selection);
    }

    [Fact]
    public void Session_direct_connection_wins_over_env_lock_and_url()
    {
        var selection = ResolveWith(explicitProfile: false, sessionProfile: false, sessionDirect: true, envProfile: true, lockFile: true, envUrl: true);
        Assert.Equal(new ProfileSelection(null, "postgres://from-session@h/d", ProfileSource.Session), selection);
        Assert.True(selection.IsDirect);
    }

    [Fact]
    public void Env_profile_wins_over_lock_and_url()
    {
        var selection = ResolveWith(explicitProfile: false, sessionProfile: false, sessionDirect: false, envProfile: true, lockFile: true, envUrl: true);
        Assert.Equal(new ProfileSelection("from-env", null, ProfileSource.Environment), selection);
    }

    [Fact]
    public void Lock_file_wins_over_url_and_is_trimmed()
    {
        var selection = ResolveWith(explicitProfile: false, sessionProfile: false, sessionDirect: false, envProfile: false, lockFile: true, envUrl: true);
        Assert.Equal(new ProfileSelection("from-lock", null, ProfileSource.LockFile), selection);
    }

    [Fact]
    public void Database_url_is_the_last_resort_in_direct_mode()
    {
        var selection = ResolveWith(explicitProfile: false, sessionProfile: false, sessionDirect: false, envProfile: false, lockFile: false, envUrl: true);
        Assert.Equal(new ProfileSelection(null, "postgres://from-url@h/d", ProfileSource.DatabaseUrl), selection);
    }

    [Fact]
    public void The_prefix_is_glued_as_is()
    {
        var env = Env(("MC_DB_PROFILE", "prefixed"), ("DB_PROFILE", "unprefixed"), ("MC_DATABASE_URL", "postgres://x@y/z"));

        var selection = CurrentProfileResolver.Resolve(null, null, "MC_", _folder.Path, env);
        Assert.Equal(new ProfileSelection("prefixed", null, ProfileSource.Environment), selection);

        var url = CurrentProfileResolver.Resolve(null, null, "MC_", _folder.Path, Env(("DB_PROFILE", "unprefixed"), ("MC_DATABASE_URL", "postgres://x@y/z")));
        Assert.Equal(ProfileSource.DatabaseUrl, url.Source);
    }

    [Fact]
    public void Empty_env_values_and_blank_inputs_count_as_unset()
    {
        File.WriteAllText(_folder.Combine(LockFile.FileName), "locked");
        var env = Env(("DB_PROFILE", string.Empty), ("DATABASE_URL", string.Empty));

        var selection = CurrentProfileResolver.Resolve("  ", new SessionCurrent(string.Empty, string.Empty, null), string.Empty, _folder.Path, env);

        Assert.Equal(new ProfileSelection("locked", null, ProfileSource.LockFile), selection);
    }

    [Fact]
    public void Empty_url_env_falls_through_to_ProfileNotFound()
    {
        var ex = Assert.Throws<DbAdapterException>(() =>
            CurrentProfileResolver.Resolve(null, null, "MC_", _folder.Path, Env(("MC_DB_PROFILE", string.Empty), ("MC_DATABASE_URL", string.Empty))));
        Assert.Equal(ErrorIds.ProfileNotFound, ex.ErrorId);
    }

    [Fact]
    public void Nothing_selected_is_ProfileNotFound_listing_every_place_looked_at()
    {
        var ex = Assert.Throws<DbAdapterException>(() => CurrentProfileResolver.Resolve(null, null, "MC_", _folder.Path, Env()));

        Assert.Equal(ErrorIds.ProfileNotFound, ex.ErrorId);
        Assert.Equal(DbErrorKind.ObjectNotFound, ex.Kind);
        Assert.Equal(ErrorHint.NameProfile, ex.Hint);
        foreach (var expected in new[] { "a profile named for this call", "this session's current profile", "MC_DB_PROFILE", "MC_DATABASE_URL", _folder.Combine(".db-profile") })
        {
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }

        // The order in the message is the order of resolution.
        var positions = new[] { "a profile named for this call", "this session's current profile", "MC_DB_PROFILE", ".db-profile", "MC_DATABASE_URL" }
            .Select(s => ex.Message.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void GetProfile_returns_the_named_profile()
    {
        var config = Config("a", "b");
        Assert.Same(config.Profiles[1], CurrentProfileResolver.GetProfile(new ProfileSelection("b", null, ProfileSource.Explicit), config));
    }

    [Fact]
    public void GetProfile_of_an_unknown_name_lists_file_and_available_profiles()
    {
        var config = Config("alpha", "beta");

        var ex = Assert.Throws<DbAdapterException>(() =>
            CurrentProfileResolver.GetProfile(new ProfileSelection("gamma", null, ProfileSource.LockFile), config));

        Assert.Equal(ErrorIds.ProfileNotFound, ex.ErrorId);
        Assert.Equal(DbErrorKind.ObjectNotFound, ex.Kind);
        Assert.Equal("gamma", ex.Target);
        Assert.Contains("'gamma'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(config.FilePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("alpha, beta", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".db-profile", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetProfile_is_case_sensitive_like_toml_keys()
    {
        var ex = Assert.Throws<DbAdapterException>(() =>
            CurrentProfileResolver.GetProfile(new ProfileSelection("ALPHA", null, ProfileSource.Explicit), Config("alpha")));
        Assert.Equal(ErrorIds.ProfileNotFound, ex.ErrorId);
    }

    [Fact]
    public void GetProfile_refuses_a_direct_selection()
    {
        Assert.Throws<ArgumentException>(() =>
            CurrentProfileResolver.GetProfile(new ProfileSelection(null, "postgres://h/d", ProfileSource.DatabaseUrl), Config("a")));
    }

    private DbConfig Config(params string[] names) => new()
    {
        FilePath = _folder.Combine("db.toml"),
        Profiles = names.Select(n => new ProfileConfig { Name = n, Url = "postgres://h/d" }).ToList(),
    };
}

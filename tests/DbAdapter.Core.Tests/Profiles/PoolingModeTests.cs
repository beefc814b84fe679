using DbAdapter.Core.Configuration;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Tests.Profiles;

/// <summary>Which connections count as going through a transaction pooler: db.toml's pooling, else the host and port.</summary>
public sealed class PoolingModeTests
{
    private static readonly IEnvironment NoEnvironment = new DictionaryEnvironment(new Dictionary<string, string?>());

    [Theory]
    [InlineData("postgresql://postgres.abcdefghij:[YOUR-PASSWORD]@aws-0-eu-central-1.pooler.supabase.com:6543/postgres", PoolingMode.Transaction)]
    [InlineData("postgresql://postgres.abcdefghij:[YOUR-PASSWORD]@AWS-0-US-EAST-1.POOLER.SUPABASE.COM:6543/postgres", PoolingMode.Transaction)]
    [InlineData("Host=aws-1-ap-south-1.pooler.supabase.com;Port=6543;Database=postgres;Username=postgres.x;Password=[YOUR-PASSWORD]", PoolingMode.Transaction)]
    [InlineData("postgresql://postgres.abcdefghij:[YOUR-PASSWORD]@aws-0-eu-central-1.pooler.supabase.com:5432/postgres", PoolingMode.None)]
    [InlineData("postgresql://postgres:[YOUR-PASSWORD]@db.abcdefghij.supabase.co:5432/postgres", PoolingMode.None)]
    [InlineData("postgresql://app:[YOUR-PASSWORD]@localhost:6543/app", PoolingMode.None)]
    [InlineData("postgresql://app:[YOUR-PASSWORD]@pooler.supabase.com.example.org:6543/app", PoolingMode.None)]
    public void Without_the_key_the_host_and_port_decide(string url, PoolingMode expected)
    {
        var target = ConnectionResolver.Resolve(Profile(url, pooling: null), null, NoEnvironment);

        Assert.Equal(expected, target.Pooling);
        Assert.False(target.PoolingConfigured);
    }

    [Theory]
    [InlineData("transaction", "postgresql://app:[YOUR-PASSWORD]@localhost:6432/app", PoolingMode.Transaction)]
    [InlineData("none", "postgresql://postgres.x:[YOUR-PASSWORD]@aws-0-eu-central-1.pooler.supabase.com:6543/postgres", PoolingMode.None)]
    [InlineData("session", "postgresql://postgres.x:[YOUR-PASSWORD]@aws-0-eu-central-1.pooler.supabase.com:6543/postgres", PoolingMode.None)]
    public void The_key_decides_when_it_is_set(string pooling, string url, PoolingMode expected)
    {
        var target = ConnectionResolver.Resolve(Profile(url, pooling), null, NoEnvironment);

        Assert.Equal(expected, target.Pooling);
        Assert.True(target.PoolingConfigured);
    }

    [Fact]
    public void A_direct_connection_string_is_judged_by_its_host_and_port()
    {
        var pooled = ConnectionResolver.ResolveDirect("postgresql://postgres.x:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres", null);
        var direct = ConnectionResolver.ResolveDirect("postgresql://postgres:pw@db.x.supabase.co:5432/postgres", null);

        Assert.Equal(PoolingMode.Transaction, pooled.Pooling);
        Assert.Equal(PoolingMode.None, direct.Pooling);
    }

    private static ProfileConfig Profile(string url, string? pooling) => new()
    {
        Name = "p",
        Url = url,
        DbPassword = "pw",
        Pooling = pooling,
    };
}

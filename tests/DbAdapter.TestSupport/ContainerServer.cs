using Testcontainers.PostgreSql;

namespace DbAdapter.TestSupport;

/// <summary>PostgreSQL 15 in a container, when a Docker engine answers.</summary>
internal static class ContainerServer
{
    public static async Task<PostgresServer> StartAsync()
    {
        var container = new PostgreSqlBuilder("postgres:15-alpine")
            .WithPassword("Adm1n-" + Guid.NewGuid().ToString("N")[..12])
            .Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await container.StartAsync(cts.Token).ConfigureAwait(false);
        return PostgresServer.FromConnectionString(container.GetConnectionString(), "Testcontainers", () => container.DisposeAsync().AsTask());
    }
}

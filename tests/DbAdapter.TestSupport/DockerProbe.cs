using System.Net.Sockets;
using System.Text;

namespace DbAdapter.TestSupport;

/// <summary>Asks the Docker engine for /_ping, quickly: no engine runs on many machines of this project.</summary>
internal static class DockerProbe
{
    /// <summary>Null when an engine answered; otherwise why not.</summary>
    public static async Task<string?> ProbeAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        string socketPath;
        if (string.IsNullOrEmpty(host))
        {
            socketPath = "/var/run/docker.sock";
        }
        else if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            socketPath = host["unix://".Length..];
        }
        else
        {
            return $"DOCKER_HOST={host} is not a unix socket this probe checks; set {PostgresServer.ConnectionEnvVar} instead";
        }

        if (!File.Exists(socketPath))
        {
            return $"{socketPath} does not exist";
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cts.Token).ConfigureAwait(false);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"), SocketFlags.None, cts.Token).ConfigureAwait(false);
            var buffer = new byte[512];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
            var text = Encoding.ASCII.GetString(buffer, 0, read);
            return text.Contains(" 200 ", StringComparison.Ordinal) ? null : $"{socketPath} answered '{text.Split('\n')[0].Trim()}'";
        }
        catch (Exception ex)
        {
            return $"{socketPath}: {ex.Message}";
        }
    }
}

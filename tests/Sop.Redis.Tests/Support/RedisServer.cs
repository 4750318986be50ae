using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sop.Redis.Tests.Support;

/// <summary>
/// A real redis-server owned by one test class (decisions.md 31): started on a free loopback port with persistence
/// off and <c>noeviction</c>, restartable (losing every key, like a crashed Redis), killed at the end. Fails loudly
/// when redis-server cannot be started; never uses a Redis someone else started.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Kills the server (SIGKILL: nothing saved) and starts an empty one on the same port.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartAsync();
    }

    /// <summary>Kills the server without starting it again (an outage).</summary>
    public void Kill()
    {
        if (_process is null) return;
        _process.Kill();
        _process.WaitForExit(10_000);
        _process.Dispose();
        _process = null;
    }

    public Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--maxmemory-policy", "noeviction", "--protected-mode", "no",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed (./test.sh installs it with apt-get)", e);
        }
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        return WaitUntilAcceptingAsync();
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                int n = await stream.ReadAsync(buffer);
                if (n > 0 && buffer[0] == (byte)'+') return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
            }
            if (_process is { HasExited: true }) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}");
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"redis-server did not answer on port {Port}");
            await Task.Delay(20);
        }
    }

    private static int FreePort() => Sop.Tests.Support.FreePorts.Next();

    public Task DisposeAsync()
    {
        Kill();
        return Task.CompletedTask;
    }
}

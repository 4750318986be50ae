using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sop.Tests.Support;

/// <summary>
/// Ports for the servers tests start (redis-server, silos, Kestrel). Taken at random below the kernel's ephemeral
/// range, which outgoing connections draw from: a port merely found free there (bind to 0, close) can be handed to
/// some client's connection before the server binds it ("Address already in use"). Checked by binding, and never
/// handed out twice by one test process.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000, Last = 32_000; // Linux's default ip_local_port_range starts at 32768
    private static readonly ConcurrentDictionary<int, bool> Handed = new();

    public static int Next()
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            int port = Random.Shared.Next(First, Last);
            if (!Handed.TryAdd(port, true)) continue;
            try
            {
                using var listener = new TcpListener(IPAddress.Any, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // in use by another process: try another
            }
        }
        throw new InvalidOperationException($"no free port between {First} and {Last}");
    }
}

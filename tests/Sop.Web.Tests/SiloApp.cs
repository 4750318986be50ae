using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Sop.Web.Tests;

/// <summary>
/// The standalone silo (silo/Sop.Silo's Program) in-process: its own data folder and free silo/gateway ports, served
/// on real Kestrel (a free port) so request limits behave as in production. Extra settings per subclass.
/// </summary>
public class SiloApp : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sop-web-" + Guid.NewGuid().ToString("N"));

    public SiloApp()
    {
        UseKestrel(0);
    }

    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Sop:DataPath", _folder);
        builder.UseSetting("Sop:SiloPort", FreePort().ToString());
        builder.UseSetting("Sop:GatewayPort", FreePort().ToString());
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Sop:Dashboard", "false"); // off in tests unless a fixture asks for it
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>An HTTP client on the running silo, waiting (bounded) until /health says it serves.</summary>
    public async Task<HttpClient> ClientAsync()
    {
        StartServer();
        var client = CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await client.GetAsync("/health")).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the silo never became healthy");
            await Task.Delay(50);
        }
        return client;
    }

    private static int FreePort() => Sop.Tests.Support.FreePorts.Next();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A silo with an API key, a small request limit, the Prometheus endpoint and the dashboard.</summary>
public sealed class GuardedSiloApp : SiloApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sop:ApiKey"] = "s3cret",
        ["Sop:MaxRequestBytes"] = "2048",
        ["Sop:Metrics:Prometheus"] = "true",
        ["Sop:Dashboard"] = "true",
    };
}

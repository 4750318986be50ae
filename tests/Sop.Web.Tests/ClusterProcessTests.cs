using System.Net;
using System.Text.Json.Nodes;
using Sop.Redis.Tests.Support;

namespace Sop.Web.Tests;

/// <summary>
/// The clustered deployment as separate processes: a real redis-server, two silos on one data folder and the web
/// frontend; a silo killed with kill -9 loses no acknowledged write and the API serves again.
/// </summary>
public sealed class ClusterProcessTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private readonly ClusterProcesses _processes = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sop-cluster-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // Sop:MultiHost: commits travel through Redis as if the silos were on different hosts (decisions.md 17)
    public async Task TwoSilosAndAFrontend_KillOneSilo_NoAcknowledgedWriteLost_ApiServesAgain(bool multiHost)
    {
        string cluster = "test-" + Guid.NewGuid().ToString("N")[..8];
        string silo = ClusterProcesses.ProgramPath("silo", "Sop.Silo");
        int dashboardPort = ClusterProcesses.FreePort();
        var silos = Enumerable.Range(0, 2).Select(i => _processes.Start(silo, new Dictionary<string, string>
        {
            ["SOP__REDIS"] = redis.Configuration,
            ["SOP__CLUSTERID"] = cluster,
            ["SOP__DATAPATH"] = _folder,
            ["SOP__SILOPORT"] = ClusterProcesses.FreePort().ToString(),
            ["SOP__GATEWAYPORT"] = ClusterProcesses.FreePort().ToString(),
            // the silo that survives is headless (no API) but serves the dashboard on its own port
            ["SOP__DASHBOARDPORT"] = i == 1 ? dashboardPort.ToString() : "",
            ["SOP__MULTIHOST"] = multiHost ? "true" : "",
        })).ToList();
        int httpPort = ClusterProcesses.FreePort();
        _processes.Start(ClusterProcesses.ProgramPath("client", "Sop.Client"), new Dictionary<string, string>
        {
            ["SOP__REDIS"] = redis.Configuration,
            ["SOP__CLUSTERID"] = cluster,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        await Until(async () => (await TryAsync(() => http.GetAsync("/health")))?.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(120), "the frontend never became healthy");

        var created = await http.PostJsonAsync("/api/stores", """{"name":"orders","slotLength":16}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var acknowledged = new List<string>();
        for (int i = 0; i < 40; i++) acknowledged.Add(await PutAsync(http, $"before-{i:D3}", i));

        silos[0].Kill(); // SIGKILL
        await silos[0].WaitForExitAsync();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (int i = 0; i < 40; i++)
        {
            while (true)
            {
                var put = await TryAsync(() => http.PutJsonAsync($"/api/stores/orders/items/after-{i:D3}", i.ToString()));
                if (put?.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add($"after-{i:D3}");
                    break;
                }
                // 503 while the cluster notices the dead silo: not acknowledged, try again (bounded)
                Assert.True(DateTime.UtcNow < deadline, $"the API did not serve again after the silo died (last: {put?.StatusCode})");
                await Task.Delay(100);
            }
        }
        foreach (string key in acknowledged)
        {
            var get = await http.GetAsync($"/api/stores/orders/items/{key}");
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"acknowledged write {key} is gone: {get.StatusCode}");
        }
        var page = JsonNode.Parse(await (await http.GetAsync("/api/stores/orders/items?limit=1000&keysOnly=true")).Content.ReadAsStringAsync())!;
        Assert.Equal(acknowledged.Count, page["items"]!.AsArray().Count);

        using var dashboard = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{dashboardPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await dashboard.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dashboard.GetAsync("/api/stores")).StatusCode); // no API on a headless silo
    }

    private static async Task<string> PutAsync(HttpClient http, string key, int value)
    {
        var put = await http.PutJsonAsync($"/api/stores/orders/items/{key}", value.ToString());
        Assert.True(put.StatusCode == HttpStatusCode.OK, $"PUT {key}: {put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        return key;
    }

    private static async Task<HttpResponseMessage?> TryAsync(Func<Task<HttpResponseMessage>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan max, string failure)
    {
        var deadline = DateTime.UtcNow + max;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        _processes.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

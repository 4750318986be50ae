using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sop.Bench.Cluster;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Compute;
using Sop.Grains.Abstractions.Data;
using Sop.Web.Hosting;

// Cluster benchmark (not a test): small durable transactions through grain calls and through the HTTP API with 16
// concurrent callers, and a fan-out of trivial macro runs, on 1 and 2 in-process silos sharing one data folder.
//   dotnet run -c Release --project bench/Sop.Bench.Cluster -- [--quick]
bool quick = args.Contains("--quick");
int transactions = quick ? 1_000 : 5_000, fanOut = quick ? 2_000 : 10_000;
const int Callers = 16;
var rows = new List<string>();
Console.WriteLine($"cores {Environment.ProcessorCount}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; {transactions} transactions, fan-out of {fanOut}");

foreach (int silos in new[] { 1, 2 })
{
    await using var bench = await BenchCluster.StartAsync(silos);
    var factories = bench.SiloFactories();
    var grains = bench.Cluster.GrainFactory;
    Ok(await grains.GetGrain<IStoreGrain>(0).Create("""{"name":"bench","slotLength":64}"""));

    // grain calls: each caller goes through one silo's own factory, so the stateless workers run on every silo
    string grainRate = await Measure.ConcurrentAsync(transactions, Callers, i =>
        Check(factories[i % factories.Count].GetGrain<ITransactionGrain>(0).Run(Upsert($"g{i:D7}"))));
    rows.Add($"| small transaction, grain call, {Callers} callers | {silos} | {grainRate} |");

    // HTTP: the real API (MapSopApi on Kestrel) in front of the cluster's client
    var web = WebApplication.CreateBuilder();
    web.Logging.ClearProviders();
    web.WebHost.UseUrls("http://127.0.0.1:0");
    web.Services.AddSingleton<IGrainFactory>(bench.Cluster.Client);
    web.Services.AddSopApi(web.Configuration);
    await using var app = web.Build();
    app.MapSopApi();
    await app.StartAsync();
    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    string httpRate = await Measure.ConcurrentAsync(transactions, Callers, async i =>
    {
        using var content = new StringContent("{\"v\":" + i + "}", Encoding.UTF8, "application/json");
        var response = await http.PutAsync($"/api/stores/bench/items/h{i:D7}", content);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT answered {(int)response.StatusCode}");
    });
    rows.Add($"| small transaction, HTTP PUT, {Callers} clients | {silos} | {httpRate} |");
    await app.StopAsync();

    // fan-out: one task of trivial macro runs, agents on every silo
    Ok(await grains.GetGrain<IMacroGrain>(0).Put("touch", """{"parameters":[{"name":"i","type":"number","required":true}],"steps":[{"kind":"put","store":"bench","key":"t{{args.i}}","value":"{{args.i}}"}]}"""));
    var inputs = new JsonArray(Enumerable.Range(0, fanOut).Select(i => (JsonNode)new JsonObject { ["i"] = i }).ToArray());
    var watch = Stopwatch.StartNew();
    string id = JsonNode.Parse(Ok(await grains.GetGrain<ITaskGrain>(0).Submit(new JsonObject { ["macro"] = "touch", ["inputs"] = inputs }.ToJsonString())))!["id"]!.GetValue<string>();
    JsonNode view;
    do
    {
        await Task.Delay(50);
        view = JsonNode.Parse(Ok(await grains.GetGrain<ITaskGrain>(0).Get(id)))!;
    }
    while (view["status"]!.GetValue<string>() is "queued" or "running");
    double seconds = watch.Elapsed.TotalSeconds;
    var agents = view["results"]!.AsArray().Select(r => r!["agent"]?.GetValue<string>()?.Split('@').Last()).Distinct().Count();
    rows.Add(string.Create(CultureInfo.InvariantCulture,
        $"| fan-out of {fanOut} trivial macro runs (submit to done) | {silos} | {view["completed"]!.GetValue<int>() / seconds:N0} sub-tasks/s | {view["status"]} in {seconds:F1} s, work done on {agents} silo(s) |"));
}

Console.WriteLine();
Console.WriteLine("| workload | silos | throughput | notes |");
Console.WriteLine("|---|---:|---|---|");
foreach (string row in rows) Console.WriteLine(row);
return 0;

static string Upsert(string key) =>
    new JsonObject { ["mode"] = "forWriting", ["operations"] = new JsonArray(new JsonObject { ["op"] = "upsert", ["store"] = "bench", ["key"] = key, ["value"] = new JsonObject { ["v"] = 1 } }) }.ToJsonString();

static async Task Check(Task<ApiReply> call)
{
    var reply = await call;
    if (reply.Failure is not null) throw new InvalidOperationException($"{reply.Failure.Kind}: {reply.Failure.Detail}");
}

static string Ok(ApiReply reply) => reply.Failure is null ? reply.Json! : throw new InvalidOperationException($"{reply.Failure.Kind}: {reply.Failure.Detail}");

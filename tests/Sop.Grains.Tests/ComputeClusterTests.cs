using System.Text.Json.Nodes;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Compute;

namespace Sop.Grains.Tests;

/// <summary>The compute swarm through grains on a 2-silo cluster sharing one data folder.</summary>
public sealed class ComputeClusterTests : IClassFixture<SopCluster>
{
    private readonly SopCluster _fx;

    public ComputeClusterTests(SopCluster fx) => _fx = fx;

    private IMacroGrain Macros => _fx.Cluster.GrainFactory.GetGrain<IMacroGrain>(0);

    private ITaskGrain Tasks => _fx.Cluster.GrainFactory.GetGrain<ITaskGrain>(0);

    private static string Ok(ApiReply reply)
    {
        Assert.True(reply.Failure is null, $"{reply.Failure?.Kind}: {reply.Failure?.Detail}");
        return reply.Json!;
    }

    [Fact]
    public async Task MacroPutGetRunList_AndTypedFailures()
    {
        var put = await Macros.Put("echo", """{"description":"echo","parameters":[{"name":"x","type":"number","required":true}],"steps":[{"kind":"script","code":"return args.x * 2;"}]}""");
        Assert.True(put.Created);
        Assert.False((await Macros.Put("echo", """{"steps":[{"kind":"script","code":"return args.x * 2;"}],"parameters":[{"name":"x","type":"number","required":true}]}""")).Created);
        Assert.Equal("""{"result":42,"committed":true}""", Ok(await Macros.Run("echo", """{"x":21}""")));
        Assert.Equal(ApiFailureKind.Invalid, (await Macros.Run("echo", """{"x":"a"}""")).Failure?.Kind);
        Assert.Equal(ApiFailureKind.NotFound, (await Macros.Run("nope", "{}")).Failure?.Kind);
        Assert.Equal(ApiFailureKind.Invalid, (await Macros.Put("bad", """{"steps":[{"kind":"script","code":"return ("}]}""")).Failure?.Kind);
        Assert.Equal(ApiFailureKind.Invalid, (await Macros.Put("bad", """{"transactionScope":1,"steps":[]}""")).Failure?.Kind);
        await Macros.Put("fails", """{"steps":[{"kind":"script","code":"return 1;"},{"kind":"script","code":"throw new Error('no');"}]}""");
        var failed = await Macros.Run("fails", "{}");
        Assert.Equal((ApiFailureKind.Unprocessable, 1), (failed.Failure!.Kind, failed.Failure.StepIndex!.Value));
        Assert.Contains("echo", Ok(await Macros.List()));
    }

    [Fact]
    public async Task FanOutOf1000_CompletesExactlyOncePerSubTask_OnBothSilos()
    {
        await Macros.Put("mark", """
            {"parameters":[{"name":"i","type":"number","required":true}],
             "steps":[{"kind":"script","code":"let s = 0; for (let j = 0; j < 100000; j++) s += j; const k = 'm-' + args.i; const n = tx.get('marks', k) || 0; tx.put('marks', k, n + 1); return n + 1;"}]}
            """);
        await CreateStoreAsync("marks");
        var inputs = new JsonArray(Enumerable.Range(0, 1000).Select(i => (JsonNode)new JsonObject { ["i"] = i }).ToArray());
        string id = JsonNode.Parse(Ok(await Tasks.Submit(new JsonObject { ["macro"] = "mark", ["inputs"] = inputs }.ToJsonString())))!["id"]!.GetValue<string>();
        var view = await WaitForEndAsync(id);
        Assert.Equal("completed", view["status"]!.GetValue<string>());
        Assert.True(view["completed"]!.GetValue<int>() == 1000, "sub-tasks failed: " + view["errors"]!.ToJsonString()[..Math.Min(500, view["errors"]!.ToJsonString().Length)]);
        var results = view["results"]!.AsArray();
        Assert.All(results, r => Assert.Equal(1, r!["result"]!.GetValue<int>())); // every effect exactly once
        var silos = results.Select(r => r!["agent"]!.GetValue<string>().Split('@')[1]).Distinct().ToList();
        Assert.True(silos.Count == 2, "the work was not spread over both silos: " + string.Join(", ", silos));
    }

    private async Task CreateStoreAsync(string name)
    {
        var reply = await _fx.Cluster.GrainFactory.GetGrain<Sop.Grains.Abstractions.Data.IStoreGrain>(0).Create(new JsonObject { ["name"] = name }.ToJsonString());
        Assert.True(reply.Failure is null or { Kind: ApiFailureKind.Conflict }, reply.Failure?.Detail);
    }

    private async Task<JsonNode> WaitForEndAsync(string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        int lastCompleted = 0;
        while (true)
        {
            var view = JsonNode.Parse(Ok(await Tasks.Get(id)))!;
            int completed = view["completed"]!.GetValue<int>();
            Assert.True(completed >= lastCompleted, "progress went backwards");
            lastCompleted = completed;
            if (view["status"]!.GetValue<string>() is "completed" or "failed" or "cancelled") return view;
            Assert.True(DateTime.UtcNow < deadline, $"task {id} did not end: {view.ToJsonString()[..Math.Min(300, view.ToJsonString().Length)]}");
            await Task.Delay(50);
        }
    }
}

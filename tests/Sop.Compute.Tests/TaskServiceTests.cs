using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Sop.Compute.Errors;
using Sop.Compute.Tasks;
using Sop.Compute.Tests.Support;
using TaskStatus = Sop.Compute.Tasks.TaskStatus;

namespace Sop.Compute.Tests;

/// <summary>Fire-and-forget tasks: exactly-once sub-tasks, leases, retries, cancellation, the planner.</summary>
public sealed class TaskServiceTests : IAsyncLifetime
{
    private ComputeFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await ComputeFixture.StartAsync(o => o.SubTaskLease = TimeSpan.FromMilliseconds(500));
        await _f.CreateStoreAsync("counts");
        await _f.Compute.Macros.PutAsync(ComputeFixture.Macro("""
            {"name":"bump","parameters":[{"name":"i","type":"number","required":true}],
             "steps":[{"kind":"script","code":"const k = 'c-' + args.i; const n = tx.get('counts', k) || 0; tx.put('counts', k, n + 1); if (args.poison) throw new Error('poison input'); return n + 1;"}]}
            """));
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static IReadOnlyList<JsonObject> Inputs(int count, Func<int, string>? extra = null) =>
        Enumerable.Range(0, count).Select(i => ComputeFixture.Args($$"""{"i":{{i}}{{extra?.Invoke(i) ?? ""}}}""")).ToList();

    private Task<int[]> WorkAsync(string id, int agents) =>
        Task.WhenAll(Enumerable.Range(0, agents).Select(a => Task.Run(() => _f.Compute.Tasks.WorkAsync(id, $"agent-{a}"))));

    [Fact]
    public async Task FanOut_FourAgents_EverySubTaskExactlyOnce_ProgressMonotonic()
    {
        const int n = 300;
        string id = await _f.Compute.Tasks.SubmitAsync(new TaskRequest("bump", Inputs(n), "count things"));
        var queued = await _f.Compute.Tasks.GetAsync(id);
        Assert.Equal(TaskStatus.Queued, queued!.Status);
        Assert.Equal(n, queued.Total);
        Assert.Equal(0, queued.Completed);

        var work = WorkAsync(id, 4);
        int last = 0;
        while (!work.IsCompleted)
        {
            var view = await _f.Compute.Tasks.GetAsync(id);
            Assert.True(view!.Completed >= last, "progress went backwards");
            last = view.Completed;
            await Task.Delay(5);
        }
        var done = await work;
        Assert.Equal(n, done.Sum());
        var final = await _f.Compute.Tasks.GetAsync(id);
        Assert.Equal(TaskStatus.Completed, final!.Status);
        Assert.Equal(n, final.Completed);
        Assert.Equal(0, final.Failed);
        Assert.Equal(n, final.Results.Count);
        Assert.All(final.Results, r => Assert.Equal("1", r.Result!.ToJsonString()));
        for (int i = 0; i < n; i++) Assert.Equal("1", await _f.GetAsync("counts", $"c-{i}")); // each effect once
    }

    [Fact]
    public async Task PoisonInput_FailsItsSubTaskAfterBoundedRetries_NotTheTask()
    {
        string id = await _f.Compute.Tasks.SubmitAsync(new TaskRequest("bump", Inputs(10, i => i == 3 ? ",\"poison\":true" : ""), null));
        await WorkAsync(id, 2);
        var view = await _f.Compute.Tasks.GetAsync(id);
        Assert.Equal(TaskStatus.Completed, view!.Status);
        Assert.Equal(9, view.Completed);
        Assert.Equal(1, view.Failed);
        var error = Assert.Single(view.Errors);
        Assert.Equal(3, error.Index);
        Assert.Contains("poison input", error.Error);
        Assert.Null(await _f.GetAsync("counts", "c-3")); // its single-scope effects never committed
        // the batch it was claimed with rolled back as a whole and ran again one by one: every other effect once
        for (int i = 0; i < 10; i++)
            if (i != 3) Assert.Equal("1", await _f.GetAsync("counts", $"c-{i}"));
    }

    [Fact]
    public async Task ClaimsOfADeadAgent_ExpireAndAreCompletedByAnother_ExactlyOnce()
    {
        string id = await _f.Compute.Tasks.SubmitAsync(new TaskRequest("bump", Inputs(40), null));
        var ghost = await _f.Compute.Tasks.ClaimAsync(id, 40, "ghost", 16, CancellationToken.None); // claims, then "dies"
        Assert.NotEmpty(ghost);
        var done = await WorkAsync(id, 1);
        Assert.Equal(40, done.Sum());
        var view = await _f.Compute.Tasks.GetAsync(id);
        Assert.Equal(TaskStatus.Completed, view!.Status);
        Assert.Equal(40, view.Completed);
        for (int i = 0; i < 40; i++) Assert.Equal("1", await _f.GetAsync("counts", $"c-{i}"));
    }

    [Fact]
    public async Task PerStepSubTask_RetriedAfterAFailingStep_DoesNotRepeatItsDoneSteps()
    {
        await _f.Compute.Macros.PutAsync(ComputeFixture.Macro("""
            {"name":"twice","transactionScope":"perStep","parameters":[{"name":"i","type":"number","required":true}],
             "steps":[{"kind":"script","code":"const k = 'p-' + args.i; tx.put('counts', k, (tx.get('counts', k) || 0) + 1); return 1;"},
                      {"kind":"script","code":"if (tx.get('counts', 'p-' + args.i) < 2) throw new Error('step 1 ran only once'); return 2;"}]}
            """));
        string id = await _f.Compute.Tasks.SubmitAsync(new TaskRequest("twice", Inputs(3), null));
        await WorkAsync(id, 2);
        var view = await _f.Compute.Tasks.GetAsync(id);
        Assert.Equal(3, view!.Failed); // every attempt failed at step 2 ...
        Assert.All(view.Errors, e => Assert.Contains("step 1 ran only once", e.Error));
        for (int i = 0; i < 3; i++) Assert.Equal("1", await _f.GetAsync("counts", $"p-{i}")); // ... and step 1 never ran twice
    }

    [Fact]
    public async Task ConcurrentBankTransferTasks_KeepTheInvariant()
    {
        await _f.CreateStoreAsync("bank");
        for (int a = 0; a < 5; a++) await _f.PutAsync("bank", $"acct-{a}", "100");
        await _f.Compute.Macros.PutAsync(ComputeFixture.Macro("""
            {"name":"move","steps":[{"kind":"script","code":"const a = tx.get('bank', args.from), b = tx.get('bank', args.to); tx.put('bank', args.from, a - 1); tx.put('bank', args.to, b + 1); return a - 1;"}]}
            """));
        var rng = new Random(7);
        var ids = new List<string>();
        for (int t = 0; t < 3; t++)
        {
            var inputs = Enumerable.Range(0, 40).Select(_ =>
            {
                int from = rng.Next(5), to = (from + 1 + rng.Next(4)) % 5;
                return ComputeFixture.Args($$"""{"from":"acct-{{from}}","to":"acct-{{to}}"}""");
            }).ToList();
            ids.Add(await _f.Compute.Tasks.SubmitAsync(new TaskRequest("move", inputs, null)));
        }
        await Task.WhenAll(ids.Select(id => WorkAsync(id, 3)));
        foreach (string id in ids) Assert.Equal(40, (await _f.Compute.Tasks.GetAsync(id))!.Completed);
        long sum = 0;
        for (int a = 0; a < 5; a++) sum += long.Parse((await _f.GetAsync("bank", $"acct-{a}"))!);
        Assert.Equal(500, sum);
    }

    [Fact]
    public async Task Cancel_StopsClaiming_ThenEndsAsCancelled_AndASecondCancelIsRefused()
    {
        string id = await _f.Compute.Tasks.SubmitAsync(new TaskRequest("bump", Inputs(50), null));
        await _f.Compute.Tasks.CancelAsync(id);
        Assert.Equal(0, (await WorkAsync(id, 2)).Sum());
        var view = await _f.Compute.Tasks.GetAsync(id);
        Assert.Equal(TaskStatus.Cancelled, view!.Status);
        Assert.Equal(0, view.Completed);
        await Assert.ThrowsAsync<TaskAlreadyEndedException>(() => _f.Compute.Tasks.CancelAsync(id));

        string finished = await _f.Compute.Tasks.SubmitAsync(new TaskRequest("bump", Inputs(2), null));
        await WorkAsync(finished, 1);
        await Assert.ThrowsAsync<TaskAlreadyEndedException>(() => _f.Compute.Tasks.CancelAsync(finished));
        await Assert.ThrowsAsync<TaskNotFoundException>(() => _f.Compute.Tasks.CancelAsync("0000000000000-deadbeef"));
    }

    [Fact]
    public async Task Submit_Rejects_UnknownMacro_TooManyInputs_GoalWithoutLlm()
    {
        await Assert.ThrowsAsync<MacroNotFoundException>(() => _f.Compute.Tasks.SubmitAsync(new TaskRequest("nope", Inputs(1), null)));
        var small = await ComputeFixture.StartAsync(o => o.MaxTaskInputs = 5);
        await using (small)
        {
            await small.Compute.Macros.PutAsync(ComputeFixture.Macro("""{"name":"x","steps":[{"kind":"script","code":"return 1;"}]}"""));
            await Assert.ThrowsAsync<Sop.Errors.InvalidArgumentException>(() => small.Compute.Tasks.SubmitAsync(new TaskRequest("x", Inputs(6), null)));
        }
        await Assert.ThrowsAsync<NoLlmConfiguredException>(() => _f.Compute.Tasks.SubmitAsync(new TaskRequest(null, null, "do it")));
        Assert.Null(await _f.Compute.Tasks.GetAsync("0000000000000-00000000"));
        Assert.Null(await _f.Compute.Tasks.GetAsync("../etc"));
    }

    [Fact]
    public async Task List_IsNewestFirst_WithoutResults()
    {
        string first = await _f.Compute.Tasks.SubmitAsync(new TaskRequest("bump", Inputs(1), null));
        await Task.Delay(5);
        string second = await _f.Compute.Tasks.SubmitAsync(new TaskRequest("bump", Inputs(1), null));
        await WorkAsync(second, 1);
        var list = await _f.Compute.Tasks.ListAsync();
        Assert.Equal([second, first], list.Select(t => t.Id).Take(2));
        Assert.All(list, t => Assert.Empty(t.Results));
        Assert.Equal([first], await _f.Compute.Tasks.UnfinishedAsync());
        // the finished task's outcome is now kept in its header, so later lists read no sub-task of it
        await using var tx = _f.Engine.Begin(Sop.Transactions.TransactionMode.NoCheck);
        var header = new TaskTable(tx).GetHeader(second)!;
        Assert.Equal((TaskStatus.Completed, 1, 0), (header.EndedAs!.Value, header.FinalCompleted, header.FinalFailed));
        Assert.Null(new TaskTable(tx).GetHeader(first)!.EndedAs);
        var again = await _f.Compute.Tasks.ListAsync();
        Assert.Equal(TaskStatus.Completed, again.Single(t => t.Id == second).Status);
    }

    [Fact]
    public async Task GoalOnlyTask_IsPlannedByTheLlmWithTheMacrosAsTools()
    {
        var chat = new ScriptedChatClient((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant,
        [
            new FunctionCallContent("c1", "bump", new Dictionary<string, object?> { ["i"] = 100 }),
            new FunctionCallContent("c2", "bump", new Dictionary<string, object?> { ["i"] = 101 }),
        ])));
        var compute = _f.Another(chat);
        string id = await compute.Tasks.SubmitAsync(new TaskRequest(null, null, "bump one hundred and one hundred and one"));
        var before = await compute.Tasks.GetAsync(id);
        Assert.Equal(0, before!.Total);
        Assert.Equal(TaskStatus.Queued, before.Status);
        await compute.Tasks.WorkAsync(id, "planner");
        var view = await compute.Tasks.GetAsync(id);
        Assert.Equal(TaskStatus.Completed, view!.Status);
        Assert.Equal(2, view.Total);
        Assert.Equal(2, view.Completed);
        Assert.Contains("bump", chat.OfferedTools[0]);
        Assert.Equal("1", await _f.GetAsync("counts", "c-100"));
        Assert.Equal("1", await _f.GetAsync("counts", "c-101"));
    }

    [Fact]
    public async Task GoalOnlyTask_WhosePlanningFails_IsFailed()
    {
        var compute = _f.Another(ScriptedChatClient.Failing("model unreachable"));
        string id = await compute.Tasks.SubmitAsync(new TaskRequest(null, null, "anything"));
        await compute.Tasks.WorkAsync(id, "planner");
        var view = await compute.Tasks.GetAsync(id);
        Assert.Equal(TaskStatus.Failed, view!.Status);
        Assert.Contains("model unreachable", Assert.Single(view.Errors).Error);
    }
}

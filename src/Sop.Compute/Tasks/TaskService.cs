using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Sop.Compute.Errors;
using Sop.Compute.Macros;
using Sop.Compute.Running;
using Sop.Compute.Tools;
using Sop.Errors;
using Sop.Transactions;

namespace Sop.Compute.Tasks;

/// <summary>
/// Fire-and-forget tasks, kept in the system store <c>.tasks</c> so any silo or client can answer for them and they
/// survive restarts. Submitting only writes the task; agents do the work through <see cref="WorkAsync"/>: claim
/// sub-tasks with a leased transaction, run them exactly once, record results and errors.
/// </summary>
public sealed partial class TaskService
{
    private readonly SopEngine _engine;
    private readonly MacroRepository _macros;
    private readonly MacroRunner _runner;
    private readonly MacroToolCatalogue _tools;
    private readonly IChatClient? _chat;
    private readonly ComputeOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _exists;

    internal TaskService(SopEngine engine, MacroRepository macros, MacroRunner runner, MacroToolCatalogue tools, IChatClient? chat, ComputeOptions options, TimeProvider time)
    {
        _engine = engine;
        _macros = macros;
        _runner = runner;
        _tools = tools;
        _chat = chat;
        _options = options;
        _time = time;
    }

    /// <summary>
    /// Stores a task and returns its id at once, without running anything. A fan-out names an existing macro and at
    /// most <see cref="ComputeOptions.MaxTaskInputs"/> inputs; a goal alone needs a configured LLM.
    /// </summary>
    /// <exception cref="MacroNotFoundException">The fan-out macro does not exist.</exception>
    /// <exception cref="InvalidArgumentException">Neither a macro nor a goal, or too many inputs.</exception>
    /// <exception cref="NoLlmConfiguredException">A goal-only task and no LLM.</exception>
    public async Task<string> SubmitAsync(TaskRequest request, CancellationToken cancellationToken = default)
    {
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        string id = TaskKeys.NewId(_time);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (request.Macro is null)
        {
            if (string.IsNullOrWhiteSpace(request.Goal)) throw new InvalidArgumentException("a task needs a macro with inputs, or a goal");
            if (_chat is null) throw new NoLlmConfiguredException("no LLM configured: a goal-only task needs one to plan it (Sop:Llm:Endpoint)");
            await InTransactionAsync(table =>
            {
                table.PutHeader(new TaskHeader { Id = id, Goal = request.Goal, CreatedUnixMs = now, Planned = false });
                return true;
            }, cancellationToken).ConfigureAwait(false);
            return id;
        }
        var inputs = request.Inputs ?? [];
        if (inputs.Count > _options.MaxTaskInputs) throw new InvalidArgumentException($"a task takes at most {_options.MaxTaskInputs} inputs (got {inputs.Count})");
        _ = await _macros.GetAsync(request.Macro, cancellationToken).ConfigureAwait(false) ?? throw new MacroNotFoundException($"macro '{request.Macro}' does not exist");
        await InTransactionAsync(table =>
        {
            table.PutHeader(new TaskHeader { Id = id, Macro = request.Macro, Goal = request.Goal, CreatedUnixMs = now, Total = inputs.Count, Planned = true });
            AddSubTasks(table, id, inputs.Select(input => (request.Macro, input)));
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return id;
    }

    private static void AddSubTasks(TaskTable table, string id, IEnumerable<(string Macro, JsonObject Args)> subs)
    {
        int index = 0;
        foreach (var (macro, args) in subs)
        {
            table.PutSub(id, new SubTaskRecord { Index = index, Macro = macro, Args = (JsonObject)args.DeepClone(), State = SubTaskState.Pending });
            table.Enqueue(id, index);
            index++;
        }
    }

    /// <summary>The task and its progress (derived from the sub-task records), or null for an unknown id.</summary>
    public async Task<TaskView?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!TaskKeys.IsValidId(id)) return null;
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // NoCheck: a view of progress needs no validation (a validated scan of a busy task would keep losing to the
        // agents' commits), and it still never sees part of a commit; each sub-task only moves forward, so the
        // counters seen by successive reads only grow.
        return await TransactionRetry.RunAsync(_engine, TransactionMode.NoCheck, _options.RunBudget, tx =>
        {
            var table = new TaskTable(tx);
            var header = table.GetHeader(id);
            return Task.FromResult(header is null ? null : Progress.Of(header, table.Subs(id), now, withDetails: true));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The most recent tasks, newest first, without results.</summary>
    public async Task<IReadOnlyList<TaskView>> ListAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var (views, newlyEnded) = await TransactionRetry.RunAsync(_engine, TransactionMode.NoCheck, _options.RunBudget, tx =>
        {
            var table = new TaskTable(tx);
            var list = new List<TaskView>();
            var ended = new List<TaskView>();
            foreach (var header in table.HeadersNewestFirst().Take(limit))
            {
                if (Progress.Final(header) is { } final)
                {
                    list.Add(final);
                    continue;
                }
                var view = Progress.Of(header, table.Subs(header.Id), now, withDetails: false);
                list.Add(view);
                if (view.Status is TaskStatus.Completed or TaskStatus.Failed or TaskStatus.Cancelled) ended.Add(view);
            }
            return Task.FromResult(((IReadOnlyList<TaskView>)list, ended));
        }, cancellationToken).ConfigureAwait(false);
        foreach (var view in newlyEnded) await RecordEndAsync(view, cancellationToken).ConfigureAwait(false);
        return views;
    }

    /// <summary>Remembers an ended task's outcome in its header (best effort: a lost race only means another read).</summary>
    private async Task RecordEndAsync(TaskView view, CancellationToken cancellationToken)
    {
        try
        {
            await InTransactionAsync(table =>
            {
                var header = table.GetHeader(view.Id);
                if (header is null || header.EndedAs is not null) return false;
                table.PutHeader(header with { EndedAs = view.Status, FinalCompleted = view.Completed, FinalFailed = view.Failed });
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TransactionConflictException)
        {
        }
    }

    /// <summary>Stops the task from claiming further sub-tasks (running ones finish).</summary>
    /// <exception cref="TaskNotFoundException">Unknown id.</exception>
    /// <exception cref="TaskAlreadyEndedException">The task had already ended.</exception>
    public async Task CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!TaskKeys.IsValidId(id)) throw new TaskNotFoundException($"task '{id}' does not exist");
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        var view = await GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new TaskNotFoundException($"task '{id}' does not exist");
        if (view.Status is TaskStatus.Completed or TaskStatus.Failed or TaskStatus.Cancelled)
            throw new TaskAlreadyEndedException($"task '{id}' already ended ({view.Status.ToString().ToLowerInvariant()})");
        // Only the header is written: a task that ends meanwhile still reads as completed (that status wins).
        await InTransactionAsync(table =>
        {
            var header = table.GetHeader(id) ?? throw new TaskNotFoundException($"task '{id}' does not exist");
            table.PutHeader(header with { Cancelled = true });
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ids of tasks that have not ended (for agents resuming work after a restart), oldest first. Also refreshes the
    /// queue-depth gauge (<c>sop.subtasks.outstanding</c>), since silos' sweeps call it every few seconds.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnfinishedAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        var recent = await ListAsync(limit, cancellationToken).ConfigureAwait(false);
        var unfinished = recent.Where(t => t.Status is TaskStatus.Queued or TaskStatus.Running).ToList();
        Diagnostics.ComputeMetrics.SetOutstanding(_engine.Header.DatabaseId, unfinished.Sum(t => (long)(t.Total - t.Completed - t.Failed)));
        return unfinished.Select(t => t.Id).Reverse().ToList();
    }

    private Task<T> InTransactionAsync<T>(Func<TaskTable, T> body, CancellationToken cancellationToken) =>
        TransactionRetry.RunAsync(_engine, TransactionMode.ForWriting, _options.RunBudget, tx => Task.FromResult(body(new TaskTable(tx))), cancellationToken);

    private async Task EnsureStoreAsync(CancellationToken cancellationToken)
    {
        if (_exists) return;
        await SystemStores.EnsureAsync(_engine, TaskTable.StoreName, TaskTable.SlotLength, _creating, cancellationToken).ConfigureAwait(false);
        await _macros.EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        _exists = true;
    }
}

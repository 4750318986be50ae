using System.Text.Json.Nodes;
using Sop.Compute.Errors;
using Sop.Compute.Macros;
using Sop.Errors;
using Sop.Transactions;

namespace Sop.Compute.Running;

/// <summary>
/// Runs macros in-flight on the calling engine. <c>single</c> scope: every step in one transaction, committed at the
/// end (all or nothing); a lost conflict replays the whole macro (LLM answers memoized). <c>perStep</c>: each step
/// commits on its own and a lost conflict retries that step. Both give up after <see cref="ComputeOptions.RunBudget"/>
/// with <see cref="TransactionConflictException"/>; a failing step is a <see cref="MacroStepException"/>.
/// </summary>
public sealed class MacroRunner
{
    private readonly SopEngine _engine;
    private readonly MacroRepository _macros;
    private readonly StepRunner _steps;
    private readonly ComputeOptions _options;

    internal MacroRunner(SopEngine engine, MacroRepository macros, StepRunner steps, ComputeOptions options)
    {
        _engine = engine;
        _macros = macros;
        _steps = steps;
        _options = options;
    }

    /// <summary>Runs the named macro with <paramref name="args"/> (checked against its parameters).</summary>
    /// <exception cref="MacroNotFoundException">No such macro.</exception>
    /// <exception cref="InvalidMacroArgumentsException">The arguments do not fit its parameters.</exception>
    /// <exception cref="MacroStepException">A step failed (<c>single</c>: nothing committed; <c>perStep</c>: earlier steps stay).</exception>
    /// <exception cref="TransactionConflictException">Conflicts kept winning until the run's budget was spent.</exception>
    public Task<MacroRunResult> RunAsync(string name, JsonObject? args, CancellationToken cancellationToken = default) =>
        RunAsync(name, args, journal: null, cancellationToken);

    internal async Task<MacroRunResult> RunAsync(string name, JsonObject? args, IRunJournal? journal, CancellationToken cancellationToken)
    {
        args ??= [];
        var macro = await _macros.GetAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new MacroNotFoundException($"macro '{name}' does not exist");
        MacroArguments.Check(macro, args);
        var state = new RunState(args, DateTime.UtcNow + _options.RunBudget, cancellationToken);
        try
        {
            var result = macro.TransactionScope == TransactionScope.Single
                ? await RunSingleAsync(macro, state, journal).ConfigureAwait(false)
                : await RunPerStepAsync(macro, state, journal).ConfigureAwait(false);
            Diagnostics.ComputeMetrics.Run("committed");
            return result;
        }
        catch (TransactionConflictException)
        {
            Diagnostics.ComputeMetrics.Run("conflict");
            throw;
        }
        catch (MacroStepException)
        {
            Diagnostics.ComputeMetrics.Run("failed");
            throw;
        }
    }

    /// <summary>
    /// Runs several <c>single</c>-scope runs in one transaction, each with its own state and journal, as if one after
    /// the other: one commit for the batch (fan-outs of small macros need that to get past one fsync per run). True
    /// when all committed; false when any of them cannot run this way or failed on its own terms — then nothing was
    /// committed and the caller runs them one by one, which reports each failure where it belongs.
    /// </summary>
    internal async Task<bool> TryRunBatchAsync(IReadOnlyList<(string Macro, JsonObject Args, IRunJournal Journal)> runs, CancellationToken cancellationToken)
    {
        var macros = new Dictionary<string, MacroDefinition>(StringComparer.Ordinal);
        foreach (var (name, args, _) in runs)
        {
            if (!macros.TryGetValue(name, out var macro))
            {
                macro = await _macros.GetAsync(name, cancellationToken).ConfigureAwait(false);
                if (macro is not { TransactionScope: TransactionScope.Single }) return false;
                macros[name] = macro;
            }
            try
            {
                MacroArguments.Check(macro, args);
            }
            catch (InvalidMacroArgumentsException)
            {
                return false;
            }
        }
        var deadline = DateTime.UtcNow + _options.RunBudget;
        for (int attempt = 1; ; attempt++)
        {
            await using var tx = await _engine.BeginAsync(TransactionMode.ForWriting, TransactionRetry.Remaining(deadline)).ConfigureAwait(false);
            try
            {
                var items = new ItemAccess(tx, _options);
                await Task.Run(() =>
                {
                    foreach (var (name, args, journal) in runs)
                    {
                        var macro = macros[name];
                        var state = new RunState(args, deadline, cancellationToken);
                        JsonNode? last = null;
                        for (int i = 0; i < macro.Steps.Count; i++) last = _steps.Run(macro, i, items, state);
                        journal.Completing(tx, last);
                    }
                }, cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TransactionConflictException) when (DateTime.UtcNow < deadline)
            {
                await TransactionRetry.BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SopException or Tasks.SubTaskLostException)
            {
                return false;
            }
        }
    }

    private async Task<MacroRunResult> RunSingleAsync(MacroDefinition macro, RunState state, IRunJournal? journal)
    {
        for (int attempt = 1; ; attempt++)
        {
            state.Vars = [];
            await using var tx = await _engine.BeginAsync(TransactionMode.ForWriting, TransactionRetry.Remaining(state.Deadline)).ConfigureAwait(false);
            try
            {
                var items = new ItemAccess(tx, _options);
                var result = await Task.Run(() =>
                {
                    JsonNode? last = null;
                    for (int i = 0; i < macro.Steps.Count; i++) last = _steps.Run(macro, i, items, state);
                    return last;
                }, state.CancellationToken).ConfigureAwait(false);
                journal?.Completing(tx, result);
                await tx.CommitAsync(state.CancellationToken).ConfigureAwait(false);
                return new MacroRunResult(result, Committed: true);
            }
            catch (TransactionConflictException) when (DateTime.UtcNow < state.Deadline)
            {
                await TransactionRetry.BackOffAsync(attempt, state.CancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<MacroRunResult> RunPerStepAsync(MacroDefinition macro, RunState state, IRunJournal? journal)
    {
        JsonNode? result = null;
        for (int i = 0; i < macro.Steps.Count; i++)
        {
            if (journal is not null && journal.TryGetDoneStep(i, out var done, out var varsAfter))
            {
                result = done;
                state.Vars = varsAfter ?? state.Vars;
                continue;
            }
            var varsBefore = (JsonObject)state.Vars.DeepClone();
            for (int attempt = 1; ; attempt++)
            {
                state.Vars = (JsonObject)varsBefore.DeepClone();
                await using var tx = await _engine.BeginAsync(TransactionMode.ForWriting, TransactionRetry.Remaining(state.Deadline)).ConfigureAwait(false);
                try
                {
                    var items = new ItemAccess(tx, _options);
                    int step = i;
                    result = await Task.Run(() => _steps.Run(macro, step, items, state), state.CancellationToken).ConfigureAwait(false);
                    journal?.StepDone(tx, i, result, state.Vars);
                    if (i == macro.Steps.Count - 1) journal?.Completing(tx, result); // the completion is atomic with the last step
                    await tx.CommitAsync(state.CancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (TransactionConflictException) when (DateTime.UtcNow < state.Deadline)
                {
                    await TransactionRetry.BackOffAsync(attempt, state.CancellationToken).ConfigureAwait(false);
                }
            }
        }
        return new MacroRunResult(result, Committed: true);
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Sop.Compute.Errors;
using Sop.Compute.Macros;

namespace Sop.Compute.Running;

/// <summary>
/// Runs the steps of a macro against one transaction, synchronously (scripts are synchronous; the LLM and calls are
/// waited for inside, so the runner always runs this on a thread-pool thread, never on a grain's scheduler).
/// </summary>
internal sealed class StepRunner(ScriptSandbox sandbox, IChatClient? chat, ComputeOptions options)
{
    /// <summary>Runs step <paramref name="index"/>; its result also goes into <c>vars[into]</c> when the step names one.</summary>
    public JsonNode? Run(MacroDefinition macro, int index, ItemAccess items, RunState state)
    {
        var step = macro.Steps[index];
        try
        {
            var result = RunCore(step, items, state);
            if (!string.IsNullOrEmpty(step.Into)) state.Vars[step.Into] = result?.DeepClone();
            return result;
        }
        catch (Exception e) when (StepFailures.IsStepFailure(e))
        {
            throw StepFailures.Describe(macro.Name, index, e, options);
        }
    }

    private JsonNode? RunCore(MacroStep step, ItemAccess items, RunState state)
    {
        string? T(string? s) => Templates.Text(s, state.Args, state.Vars);
        switch (step.Kind)
        {
            case StepKind.Script:
                return ScriptStep.Run(sandbox, step.Code!, items, state, prompt => Ask(prompt, state), (macro, args) => Call(macro, args, items, state));
            case StepKind.Get:
                return items.Get(T(step.Store)!, T(step.Key)!);
            case StepKind.Put:
                return items.Put(T(step.Store)!, T(step.Key)!, Templates.Value(step.Value, state.Args, state.Vars));
            case StepKind.Remove:
                return JsonValue.Create(items.Remove(T(step.Store)!, T(step.Key)!));
            case StepKind.Range:
                return items.Range(T(step.Store)!, T(step.From), T(step.To), step.Limit);
            case StepKind.Ask:
                return JsonValue.Create(Ask(T(step.Prompt)!, state));
            case StepKind.Call:
                var args = Templates.Value(step.Args ?? [], state.Args, state.Vars) as JsonObject ?? [];
                return Call(step.Macro!, args, items, state);
            default:
                throw new InvalidMacroException($"unknown step kind {step.Kind}");
        }
    }

    /// <summary>A call joins the caller's transaction (decisions.md 23), whatever the callee's own scope says.</summary>
    private JsonNode? Call(string name, JsonObject args, ItemAccess items, RunState state)
    {
        if (state.Depth + 1 > options.MaxCallDepth) throw new InvalidMacroArgumentsException($"macro calls nest deeper than the limit ({options.MaxCallDepth})");
        var callee = MacroRepository.Read(items.Transaction, name) ?? throw new MacroNotFoundException($"macro '{name}' does not exist");
        MacroArguments.Check(callee, args);
        var inner = state.ForCall(args);
        JsonNode? result = null;
        for (int i = 0; i < callee.Steps.Count; i++) result = Run(callee, i, items, inner);
        return result;
    }

    private string Ask(string prompt, RunState state)
    {
        if (state.Answers.TryGetValue(prompt, out var memo)) return memo;
        if (chat is null) throw new NoLlmConfiguredException("no LLM configured (set Sop:Llm:Endpoint and Sop:Llm:Model)");
        string answer;
        try
        {
            answer = chat.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], cancellationToken: state.CancellationToken).GetAwaiter().GetResult().Text;
        }
        catch (Exception e) when (e is not OperationCanceledException || !state.CancellationToken.IsCancellationRequested)
        {
            throw new LlmCallFailedException($"the LLM call failed: {e.Message}", e);
        }
        state.Answers[prompt] = answer;
        return answer;
    }
}

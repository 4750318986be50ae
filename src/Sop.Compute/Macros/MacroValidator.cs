using Jint;
using Sop.Compute.Errors;
using Sop.Compute.Running;

namespace Sop.Compute.Macros;

/// <summary>Checks a macro before it is stored; every problem is an <see cref="InvalidMacroException"/> (HTTP 400).</summary>
internal sealed class MacroValidator(ScriptSandbox sandbox)
{
    public void Validate(MacroDefinition macro)
    {
        if (!MacroNames.IsValid(macro.Name)) throw new InvalidMacroException($"'{macro.Name}' is not a valid macro name (1-64 characters of A-Z a-z 0-9 _ -)");
        if (macro.Steps is null || macro.Steps.Count == 0) throw new InvalidMacroException("a macro needs at least one step");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in macro.Parameters ?? [])
        {
            if (p is null || string.IsNullOrEmpty(p.Name)) throw new InvalidMacroException("every parameter needs a name");
            if (!names.Add(p.Name)) throw new InvalidMacroException($"parameter '{p.Name}' is declared twice");
        }
        for (int i = 0; i < macro.Steps.Count; i++) ValidateStep(macro.Steps[i], i);
    }

    private void ValidateStep(MacroStep? step, int i)
    {
        if (step is null) throw new InvalidMacroException($"step {i} is null");
        void Need(string? value, string field)
        {
            if (string.IsNullOrEmpty(value)) throw new InvalidMacroException($"step {i} ({Kind(step)}) needs '{field}'");
        }
        switch (step.Kind)
        {
            case StepKind.Script:
                Need(step.Code, "code");
                try
                {
                    sandbox.Prepare(step.Code!);
                }
                catch (ScriptPreparationException e)
                {
                    throw new InvalidMacroException($"step {i}: the script does not parse: {e.InnerException?.Message ?? e.Message}", e);
                }
                break;
            case StepKind.Get or StepKind.Remove:
                Need(step.Store, "store");
                Need(step.Key, "key");
                break;
            case StepKind.Put:
                Need(step.Store, "store");
                Need(step.Key, "key");
                break;
            case StepKind.Range:
                Need(step.Store, "store");
                if (step.Limit is < 1) throw new InvalidMacroException($"step {i}: limit must be positive");
                break;
            case StepKind.Ask:
                Need(step.Prompt, "prompt");
                break;
            case StepKind.Call:
                Need(step.Macro, "macro");
                if (!MacroNames.IsValid(step.Macro)) throw new InvalidMacroException($"step {i}: '{step.Macro}' is not a valid macro name");
                break;
            default:
                throw new InvalidMacroException($"step {i}: unknown kind");
        }
    }

    private static string Kind(MacroStep step) => step.Kind.ToString().ToLowerInvariant();
}

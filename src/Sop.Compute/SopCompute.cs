using Microsoft.Extensions.AI;
using Sop.Compute.Agents;
using Sop.Compute.Macros;
using Sop.Compute.Running;
using Sop.Compute.Tasks;
using Sop.Compute.Tools;

namespace Sop.Compute;

/// <summary>
/// The compute swarm on one engine: macros stored as data, their runner, the tool catalogue agents discover them
/// through, and fire-and-forget tasks. Stateless apart from caches: every engine on the folder (every silo) sees the
/// same macros and tasks, because they live in the database.
/// </summary>
public sealed class SopCompute
{
    /// <summary>Builds the compute swarm over an open engine.</summary>
    /// <param name="engine">The engine (the silo's).</param>
    /// <param name="options">Script limits, budgets, task settings.</param>
    /// <param name="chat">The LLM for ask steps and the planner; null when none is configured.</param>
    /// <param name="time">The clock of leases (default: system).</param>
    public SopCompute(SopEngine engine, ComputeOptions? options = null, IChatClient? chat = null, TimeProvider? time = null)
    {
        Options = options ?? new ComputeOptions();
        var sandbox = new ScriptSandbox(Options);
        Macros = new MacroRepository(engine, Options, sandbox);
        Runner = new MacroRunner(engine, Macros, new StepRunner(sandbox, chat, Options), Options);
        Tools = new MacroToolCatalogue(Macros, Runner);
        Tasks = new TaskService(engine, Macros, Runner, Tools, chat, Options, time ?? TimeProvider.System);
        Agents = new AgentRegistry(engine, Options, time ?? TimeProvider.System);
    }

    /// <summary>The directory of agents (system store <c>.agents</c>).</summary>
    public AgentRegistry Agents { get; }

    /// <summary>The limits in force.</summary>
    public ComputeOptions Options { get; }

    /// <summary>Macros in the <c>.macros</c> system store.</summary>
    public MacroRepository Macros { get; }

    /// <summary>Runs macros.</summary>
    public MacroRunner Runner { get; }

    /// <summary>The macros as tools (for agents and the LLM planner).</summary>
    public MacroToolCatalogue Tools { get; }

    /// <summary>Fire-and-forget tasks in the <c>.tasks</c> system store.</summary>
    public TaskService Tasks { get; }
}

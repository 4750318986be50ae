namespace Sop.Compute.Tasks;

/// <summary>An agent's claim on a sub-task ran out and another agent took it over: this agent's run must not commit.</summary>
internal sealed class SubTaskLostException(string message) : Exception(message);

namespace Sop.Compute.Agents;

/// <summary>An agent as the directory knows it: who, on which silo, when it last said it was alive.</summary>
/// <param name="Id">The agent id.</param>
/// <param name="Silo">Where it runs (a silo address).</param>
/// <param name="LastSeen">Its last heartbeat.</param>
public sealed record AgentRecord(string Id, string Silo, DateTimeOffset LastSeen);

using Microsoft.Extensions.Time.Testing;
using Sop.Compute.Tests.Support;

namespace Sop.Compute.Tests;

/// <summary>The agent directory in the database: heartbeats in, recent agents out.</summary>
public sealed class AgentRegistryTests
{
    [Fact]
    public async Task RecentHeartbeats_AreListed_StaleAndLeftOnesAreNot()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T10:00:00Z"));
        await using var f = await ComputeFixture.StartAsync(time: time);
        await f.Compute.Agents.HeartbeatAsync("agent-a", "silo-1");
        await f.Compute.Agents.HeartbeatAsync("agent-b", "silo-2");
        time.Advance(TimeSpan.FromSeconds(20));
        await f.Compute.Agents.HeartbeatAsync("agent-b", "silo-2");
        await f.Compute.Agents.HeartbeatAsync("agent-c", "silo-3");
        await f.Compute.Agents.LeaveAsync("agent-c");
        var live = await f.Compute.Agents.ListLiveAsync(TimeSpan.FromSeconds(10));
        var agent = Assert.Single(live);
        Assert.Equal(("agent-b", "silo-2"), (agent.Id, agent.Silo));
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sop.Compute.Hosting;

namespace Sop.Grains.Compute;

/// <summary>
/// The silo's own agent: it keeps a heartbeat in the agent directory (so every silo lists at least one agent) and
/// sweeps for unfinished tasks, working on them — which resumes tasks after a restart and re-claims the sub-tasks
/// of a silo that died once their leases ran out.
/// </summary>
internal sealed partial class SiloAgentService(ISopComputeAccessor computes, ILocalSiloDetails silo, ILogger<SiloAgentService> logger) : BackgroundService
{
    /// <summary>How often the agent says it is alive and looks for unfinished tasks.</summary>
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Task> _working = new(StringComparer.Ordinal);

    internal string AgentId => "silo-agent@" + silo.SiloAddress;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            do
            {
                try
                {
                    var compute = await computes.GetComputeAsync(stoppingToken);
                    await compute.Agents.HeartbeatAsync(AgentId, silo.SiloAddress.ToString(), stoppingToken);
                    foreach (string id in await compute.Tasks.UnfinishedAsync(cancellationToken: stoppingToken))
                    {
                        // one local worker per task at a time; agents on other silos work on it beside this one
                        if (_working.ContainsKey(id)) continue;
                        _working[id] = Task.Run(async () =>
                        {
                            try
                            {
                                await compute.Tasks.WorkAsync(id, AgentId, stoppingToken);
                            }
                            finally
                            {
                                _working.TryRemove(id, out _);
                            }
                        }, stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogSweepFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await LeaveAsync();
    }

    private async Task LeaveAsync()
    {
        try
        {
            await Task.WhenAll(_working.Values).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // leases of what is still running expire and other silos take over
        }
        try
        {
            var compute = await computes.GetComputeAsync();
            await compute.Agents.LeaveAsync(AgentId);
        }
        catch (Exception e) when (e is Sop.Errors.SopException or ObjectDisposedException or OperationCanceledException)
        {
            LogLeaveFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the silo agent's sweep failed; it retries next round")]
    private partial void LogSweepFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Debug, Message = "the silo agent could not leave the directory ({Reason}); its heartbeat ages out")]
    private partial void LogLeaveFailed(string reason);
}

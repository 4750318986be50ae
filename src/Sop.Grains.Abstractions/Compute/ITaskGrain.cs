namespace Sop.Grains.Abstractions.Compute;

/// <summary>Fire-and-forget tasks: submit answers at once; agents on every silo do the work.</summary>
[Alias("sop.ITaskGrain")]
public interface ITaskGrain : IGrainWithIntegerKey
{
    /// <summary>Submits the contract's task body; the reply is <c>{"id":...,"status":"queued"}</c>.</summary>
    [Alias("submit")]
    Task<ApiReply> Submit(string requestJson);

    /// <summary>A task with its progress, results and errors.</summary>
    [Alias("get")]
    Task<ApiReply> Get(string id);

    /// <summary>Recent tasks, newest first, without results.</summary>
    [Alias("list")]
    Task<ApiReply> List();

    /// <summary>Stops a task from claiming further sub-tasks.</summary>
    [Alias("cancel")]
    Task<ApiReply> Cancel(string id);
}

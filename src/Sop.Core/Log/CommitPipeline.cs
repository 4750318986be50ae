namespace Sop.Log;

/// <summary>
/// Group commit: committers queue their records; whoever finds no leader becomes one, writes every queued record
/// with one write and one fsync (<see cref="CommitLog.AppendBatch"/>), publishes them in log order, and repeats
/// while records keep arriving. So N concurrent commits share one fsync, and publication follows log order.
/// </summary>
/// <remarks>
/// The leader holds <see cref="LogLock"/> while it writes and publishes; a checkpoint takes it too, so it never
/// sees a record that is durable but not yet published.
/// </remarks>
internal sealed class CommitPipeline(CommitLog log, Func<Exception, Exception> onLogFailure)
{
    private readonly object _queueGate = new();
    private List<Pending> _queue = [];
    private bool _leading;

    /// <summary>Held while a batch is written and published, and by checkpoints.</summary>
    public object LogLock { get; } = new();

    /// <summary>
    /// Queues a record; completes with its sequence number once it is durable and <paramref name="publish"/> ran, or
    /// with the exception the log or the publish threw.
    /// </summary>
    public Task<ulong> SubmitAsync(byte[] payload, Action<ulong> publish)
    {
        var pending = new Pending(payload, publish);
        bool lead;
        lock (_queueGate)
        {
            _queue.Add(pending);
            lead = !_leading;
            if (lead) _leading = true;
        }
        if (lead) Lead();
        return pending.Done.Task;
    }

    private void Lead()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_queueGate)
            {
                if (_queue.Count == 0)
                {
                    _leading = false;
                    return;
                }
                batch = _queue;
                _queue = [];
            }
            lock (LogLock)
            {
                ulong first;
                try
                {
                    first = log.AppendBatch(batch.ConvertAll(p => p.Payload));
                }
                catch (Exception e)
                {
                    var reported = onLogFailure(e);
                    foreach (var p in batch) p.Done.TrySetException(reported);
                    continue;
                }
                for (int i = 0; i < batch.Count; i++)
                {
                    ulong seq = first + (ulong)i;
                    try
                    {
                        batch[i].Publish(seq);
                        batch[i].Done.TrySetResult(seq);
                    }
                    catch (Exception e)
                    {
                        batch[i].Done.TrySetException(e);
                    }
                }
            }
        }
    }

    private sealed class Pending(byte[] payload, Action<ulong> publish)
    {
        public byte[] Payload { get; } = payload;

        public Action<ulong> Publish { get; } = publish;

        public TaskCompletionSource<ulong> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

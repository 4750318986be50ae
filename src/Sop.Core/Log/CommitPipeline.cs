namespace Sop.Log;

/// <summary>
/// Group commit: committers queue their records; a leader writes every queued record with one write and one
/// fdatasync (<see cref="CommitLog.AppendBatch"/>) and publishes them in log order. A leader handles one batch and then
/// hands leadership to the oldest waiting committer, so N concurrent commits share one sync and nobody leads forever.
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
    public async Task<ulong> SubmitAsync(byte[] payload, Action<ulong> publish)
    {
        var pending = new Pending(payload, publish);
        bool lead;
        lock (_queueGate)
        {
            _queue.Add(pending);
            lead = !_leading;
            if (lead) _leading = true;
        }
        while (true)
        {
            if (lead) LeadOneBatch();
            var first = await Task.WhenAny(pending.Done.Task, pending.Promoted.Task).ConfigureAwait(false);
            if (first == pending.Done.Task) return await pending.Done.Task.ConfigureAwait(false);
            lead = true; // the previous leader handed over: our record is still queued
        }
    }

    private void LeadOneBatch()
    {
        List<Pending> batch;
        lock (_queueGate)
        {
            batch = _queue;
            _queue = [];
        }
        if (batch.Count > 0) WriteAndPublish(batch);
        lock (_queueGate)
        {
            if (_queue.Count == 0) _leading = false;
            else _queue[0].Promoted.TrySetResult(); // leadership passes on; _leading stays set
        }
    }

    private void WriteAndPublish(List<Pending> batch)
    {
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
                return;
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

    private sealed class Pending(byte[] payload, Action<ulong> publish)
    {
        public byte[] Payload { get; } = payload;

        public Action<ulong> Publish { get; } = publish;

        public TaskCompletionSource<ulong> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Promoted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

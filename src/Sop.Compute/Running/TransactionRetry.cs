using Sop.Errors;
using Sop.Transactions;

namespace Sop.Compute.Running;

/// <summary>Runs a transaction body until it commits, retrying lost conflicts (jittered backoff) within a time budget.</summary>
internal static class TransactionRetry
{
    public static async Task<T> RunAsync<T>(SopEngine engine, TransactionMode mode, TimeSpan budget, Func<Transaction, Task<T>> body, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + budget;
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var tx = await engine.BeginAsync(mode, Remaining(deadline), cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await body(tx).ConfigureAwait(false);
                if (tx.IsActive) await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (TransactionConflictException) when (DateTime.UtcNow < deadline)
            {
                await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What is left of a budget, never less than a second (so a last attempt can still commit).</summary>
    public static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
    }

    /// <summary>Jittered backoff, 1-50 ms (decisions.md 14).</summary>
    public static Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Random.Shared.Next(1, Math.Min(50, 1 << Math.Min(attempt, 6)) + 1), cancellationToken);
}

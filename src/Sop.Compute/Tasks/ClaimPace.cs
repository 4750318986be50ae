using Sop.Compute.Running;

namespace Sop.Compute.Tasks;

/// <summary>
/// How many sub-tasks an agent claims at once: as many as it can surely finish within a quarter of the lease (so a
/// slow macro never outlives its claim and gets taken over while its agent is alive), at most
/// <see cref="ComputeOptions.ClaimBatch"/>. It starts small and learns the pace from what it ran.
/// </summary>
internal sealed class ClaimPace(ComputeOptions options)
{
    private const int FirstBatch = 4;
    private double _millisecondsPerSubTask;

    public int BatchSize
    {
        get
        {
            if (_millisecondsPerSubTask <= 0) return Math.Min(FirstBatch, options.ClaimBatch);
            double fits = options.SubTaskLease.TotalMilliseconds / 4 / _millisecondsPerSubTask;
            return (int)Math.Clamp(fits, 1, options.ClaimBatch);
        }
    }

    /// <summary>Records that <paramref name="count"/> sub-tasks took <paramref name="elapsed"/> (a moving average).</summary>
    public void Observe(int count, TimeSpan elapsed)
    {
        double each = elapsed.TotalMilliseconds / Math.Max(count, 1);
        _millisecondsPerSubTask = _millisecondsPerSubTask <= 0 ? each : (0.7 * _millisecondsPerSubTask) + (0.3 * each);
    }
}

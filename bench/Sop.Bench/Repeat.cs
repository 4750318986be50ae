namespace Sop.Bench;

/// <summary>Repeats a short measured pass and keeps the median time (reads take a fraction of a second, so one pass is noisy).</summary>
internal static class Repeat
{
    /// <summary>How many times the read workloads repeat their measured pass.</summary>
    public const int ReadPasses = 5;

    /// <summary>
    /// Runs <paramref name="pass"/> <paramref name="times"/> times; returns the median elapsed time and the first
    /// non-null complaint (null when every pass was right).
    /// </summary>
    public static async ValueTask<(TimeSpan Median, string? Wrong)> MedianAsync(int times, Func<ValueTask<(TimeSpan Elapsed, string? Wrong)>> pass)
    {
        var elapsed = new List<TimeSpan>(times);
        string? wrong = null;
        for (int i = 0; i < times; i++)
        {
            var (t, w) = await pass();
            elapsed.Add(t);
            wrong ??= w;
        }
        elapsed.Sort();
        return (elapsed[elapsed.Count / 2], wrong);
    }
}

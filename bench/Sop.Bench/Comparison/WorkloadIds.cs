namespace Sop.Bench.Comparison;

/// <summary>The comparison's workloads: ids (also <c>--only</c>) and column titles, in run order.</summary>
internal static class WorkloadIds
{
    /// <summary>Concurrent writers of W6 (performance-targets.md: 16).</summary>
    public const int W6Writers = 16;

    public static IReadOnlyList<(string Id, string Title)> All { get; } =
    [
        ("W1", "W1 bulk insert, 1 tx"),
        ("W2", "W2 point reads, warm"),
        ("W3", "W3 full scan"),
        ("W4", "W4 keys-only scan"),
        ("W5", "W5 durable commit, 1 writer"),
        ("W6", $"W6 durable commits, {W6Writers} writers"),
        ("W7", "W7 durable update"),
    ];
}

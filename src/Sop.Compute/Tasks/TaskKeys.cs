using System.Globalization;

namespace Sop.Compute.Tasks;

/// <summary>
/// The key layout of <c>.tasks</c>: headers <c>h/&lt;id&gt;</c>, sub-tasks <c>s/&lt;id&gt;/&lt;index&gt;</c>, the queue of
/// claimable sub-tasks <c>q/&lt;id&gt;/&lt;index&gt;</c>, the claimed ones <c>c/&lt;id&gt;/&lt;index&gt;</c> (so expired leases
/// are found without reading every sub-task), and perStep journals <c>j/&lt;id&gt;/&lt;index&gt;/&lt;step&gt;</c>.
/// Ids start with the creation time, so headers sort oldest first.
/// </summary>
internal static class TaskKeys
{
    public const string HeaderPrefix = "h/";

    public static string NewId(TimeProvider time) =>
        string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().ToUnixTimeMilliseconds():D13}-{Random.Shared.Next():x8}");

    public static bool IsValidId(string? id) => id is { Length: > 14 and < 40 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    public static string Header(string id) => HeaderPrefix + id;

    public static string SubPrefix(string id) => $"s/{id}/";

    public static string Sub(string id, int index) => SubPrefix(id) + Index(index);

    public static string QueuePrefix(string id) => $"q/{id}/";

    public static string Queue(string id, int index) => QueuePrefix(id) + Index(index);

    public static string ClaimedPrefix(string id) => $"c/{id}/";

    public static string Claimed(string id, int index) => ClaimedPrefix(id) + Index(index);

    public static string Journal(string id, int index, int step) => $"j/{id}/{Index(index)}/{step.ToString("D3", CultureInfo.InvariantCulture)}";

    /// <summary>The first key after every key that starts with <paramref name="prefix"/> (prefixes end with '/').</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + "0"; // '0' follows '/' in byte order

    public static int IndexOf(string key) => int.Parse(key.AsSpan(key.LastIndexOf('/') + 1), CultureInfo.InvariantCulture);

    private static string Index(int index) => index.ToString("D6", CultureInfo.InvariantCulture);
}

using System.Text.Json;
using Sop.Compute.Macros;
using Sop.Json;
using Sop.Transactions;
using Sop.Trees;

namespace Sop.Compute.Tasks;

/// <summary>Typed access to the <c>.tasks</c> system store inside one transaction.</summary>
internal sealed class TaskTable(Transaction tx)
{
    public const string StoreName = ".tasks";

    /// <summary>Small nodes: every sub-task claim and completion rewrites the node holding its record.</summary>
    public const int SlotLength = 32;

    private static readonly JsonElement Marker = JsonDocument.Parse("true").RootElement.Clone();
    private readonly BTree<string, JsonElement> _store = tx.OpenJsonStore(StoreName);

    public Transaction Transaction => tx;

    public TaskHeader? GetHeader(string id) => Read<TaskHeader>(TaskKeys.Header(id));

    public void PutHeader(TaskHeader header) => Write(TaskKeys.Header(header.Id), header);

    public SubTaskRecord? GetSub(string id, int index) => Read<SubTaskRecord>(TaskKeys.Sub(id, index));

    public void PutSub(string id, SubTaskRecord sub) => Write(TaskKeys.Sub(id, sub.Index), sub);

    public void Enqueue(string id, int index) => _store.Upsert(TaskKeys.Queue(id, index), Marker);

    public bool Dequeue(string id, int index) => _store.Remove(TaskKeys.Queue(id, index));

    public void MarkClaimed(string id, int index) => _store.Upsert(TaskKeys.Claimed(id, index), Marker);

    public void UnmarkClaimed(string id, int index) => _store.Remove(TaskKeys.Claimed(id, index));

    /// <summary>The sub-tasks currently claimed by some agent.</summary>
    public IEnumerable<SubTaskRecord> ClaimedSubs(string id) =>
        Range(TaskKeys.ClaimedPrefix(id), null, keysOnly: true).Select(i => GetSub(id, TaskKeys.IndexOf(i.Key))).OfType<SubTaskRecord>().ToList();

    public StepJournalRecord? GetJournal(string id, int index, int step) => Read<StepJournalRecord>(TaskKeys.Journal(id, index, step));

    public void PutJournal(string id, int index, int step, StepJournalRecord record) => Write(TaskKeys.Journal(id, index, step), record);

    /// <summary>Every sub-task of a task, by index.</summary>
    public IEnumerable<SubTaskRecord> Subs(string id) =>
        Range(TaskKeys.SubPrefix(id), null).Select(item => item.Value.Deserialize<SubTaskRecord>(MacroJson.Options)!);

    /// <summary>Up to <paramref name="count"/> queued sub-task indexes, starting at <paramref name="from"/> and wrapping around.</summary>
    public List<int> Queued(string id, int from, int count)
    {
        string prefix = TaskKeys.QueuePrefix(id);
        var found = Range(prefix, TaskKeys.Queue(id, from), keysOnly: true).Take(count).Select(i => TaskKeys.IndexOf(i.Key)).ToList();
        if (found.Count < count)
            found.AddRange(Range(prefix, null, keysOnly: true).Select(i => TaskKeys.IndexOf(i.Key)).TakeWhile(i => i < from).Take(count - found.Count));
        return found;
    }

    /// <summary>Task headers, newest first.</summary>
    public IEnumerable<TaskHeader> HeadersNewestFirst() =>
        _store.Scan(KeyRange<string>.Between(TaskKeys.HeaderPrefix, TaskKeys.PrefixEnd(TaskKeys.HeaderPrefix)), descending: true)
            .Select(item => item.Value.Deserialize<TaskHeader>(MacroJson.Options)!);

    private IEnumerable<Sop.Trees.ScanItem<string, JsonElement>> Range(string prefix, string? from, bool keysOnly = false) =>
        _store.Scan(KeyRange<string>.Between(from ?? prefix, TaskKeys.PrefixEnd(prefix)), keysOnly: keysOnly);

    private T? Read<T>(string key) where T : class =>
        _store.TryGetValue(key, out var value) ? value.Deserialize<T>(MacroJson.Options) : null;

    private void Write<T>(string key, T value) => _store.Upsert(key, JsonSerializer.SerializeToElement(value, MacroJson.Options));
}

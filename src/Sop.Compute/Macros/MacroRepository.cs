using System.Text.Json;
using Sop.Compute.Running;
using Sop.Errors;
using Sop.Json;
using Sop.Transactions;
using Sop.Trees;

namespace Sop.Compute.Macros;

/// <summary>
/// Macros as data in the system store <c>.macros</c> (key = name, value = the definition as JSON): every engine on the
/// folder — every silo — sees a new or changed macro at once, transactionally.
/// </summary>
public sealed class MacroRepository
{
    /// <summary>The system store that holds the macros.</summary>
    public const string StoreName = ".macros";

    private readonly SopEngine _engine;
    private readonly ComputeOptions _options;
    private readonly MacroValidator _validator;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _exists;

    internal MacroRepository(SopEngine engine, ComputeOptions options, ScriptSandbox sandbox)
    {
        _engine = engine;
        _options = options;
        _validator = new MacroValidator(sandbox);
    }

    /// <summary>The macro, or null.</summary>
    public async Task<MacroDefinition?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!MacroNames.IsValid(name)) return null;
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        return await TransactionRetry.RunAsync(_engine, TransactionMode.ForReading, _options.RunBudget, tx =>
            Task.FromResult(Read(tx, name)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a macro inside a running transaction (a run sees the version its transaction reads).</summary>
    internal static MacroDefinition? Read(Transaction tx, string name) =>
        tx.OpenJsonStore(StoreName).TryGetValue(name, out var json) ? json.Deserialize<MacroDefinition>(MacroJson.Options) : null;

    /// <summary>Validates and stores a macro (replacing one of the same name); true when it is new.</summary>
    /// <exception cref="Errors.InvalidMacroException">The definition is malformed.</exception>
    public async Task<bool> PutAsync(MacroDefinition macro, CancellationToken cancellationToken = default)
    {
        _validator.Validate(macro);
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        var value = JsonSerializer.SerializeToElement(macro, MacroJson.Options);
        return await TransactionRetry.RunAsync(_engine, TransactionMode.ForWriting, _options.RunBudget, tx =>
        {
            var store = tx.OpenJsonStore(StoreName);
            bool created = !store.Find(macro.Name);
            store.Upsert(macro.Name, value);
            return Task.FromResult(created);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a macro; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!MacroNames.IsValid(name)) return false;
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        return await TransactionRetry.RunAsync(_engine, TransactionMode.ForWriting, _options.RunBudget, tx =>
            Task.FromResult(tx.OpenJsonStore(StoreName).Remove(name)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every macro, by name.</summary>
    public async Task<IReadOnlyList<MacroDefinition>> ListAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        return await TransactionRetry.RunAsync(_engine, TransactionMode.ForReading, _options.RunBudget, tx =>
            Task.FromResult<IReadOnlyList<MacroDefinition>>(tx.OpenJsonStore(StoreName).Scan(KeyRange<string>.All)
                .Select(item => item.Value.Deserialize<MacroDefinition>(MacroJson.Options)!).ToList()), cancellationToken).ConfigureAwait(false);
    }

    internal async Task EnsureStoreAsync(CancellationToken cancellationToken)
    {
        if (_exists) return;
        await SystemStores.EnsureAsync(_engine, StoreName, slotLength: 100, _creating, cancellationToken).ConfigureAwait(false);
        _exists = true;
    }
}

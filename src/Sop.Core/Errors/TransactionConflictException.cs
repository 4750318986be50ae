namespace Sop.Errors;

/// <summary>
/// A transaction lost to a concurrent one and was rolled back: an item it read or wrote was changed by another
/// committed transaction. Retrying the whole transaction is safe.
/// </summary>
public sealed class TransactionConflictException : SopException
{
    /// <summary>Creates the exception naming the store and, when known, the key that collided.</summary>
    public TransactionConflictException(string store, string? key, string message) : base(message)
    {
        Store = store;
        Key = key;
    }

    /// <summary>The store in which the conflict was found.</summary>
    public string Store { get; }

    /// <summary>A text form of the key that collided, or null when the conflict was on tree structure only.</summary>
    public string? Key { get; }
}

namespace Sop.Transactions;

/// <summary>What a transaction may do and what its commit checks. Persisted nowhere; values are API-stable.</summary>
public enum TransactionMode
{
    /// <summary>Reads and writes; commit validates reads and writes (serializable).</summary>
    ForWriting = 0,

    /// <summary>Reads only; commit fails with a conflict when something it read changed.</summary>
    ForReading = 1,

    /// <summary>Reads only, no tracking or validation (fastest; may see newer committed state, never a torn one).</summary>
    NoCheck = 2,
}

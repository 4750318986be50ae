namespace Sop.Transactions;

/// <summary>
/// Internal signal: an operation needed a node it had not read yet while a commit had moved nodes it had read, so
/// reading on would mix two committed states. The operation is dropped and re-run after the state is rebuilt.
/// </summary>
internal sealed class StalePinsException() : Exception("the transaction's pinned nodes are stale");

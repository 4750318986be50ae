using System.Collections.Concurrent;
using Jint;

namespace Sop.Compute.Running;

/// <summary>
/// Compiles and runs macro scripts in Jint with every limit set (time, statements, memory, recursion), strict mode,
/// no CLR access and no <c>eval</c>/<c>new Function</c>. A script's top level may <c>return</c>: it runs as a function
/// body. Prepared scripts are cached by source; each run gets its own engine (engines are not thread-safe).
/// </summary>
internal sealed class ScriptSandbox(ComputeOptions options)
{
    private const int CacheLimit = 1024;
    private readonly ConcurrentDictionary<string, Prepared<Acornima.Ast.Script>> _prepared = new(StringComparer.Ordinal);

    /// <summary>Parses a script; throws <see cref="ScriptPreparationException"/> when it does not parse.</summary>
    public Prepared<Acornima.Ast.Script> Prepare(string code)
    {
        if (_prepared.TryGetValue(code, out var cached)) return cached;
        var prepared = Engine.PrepareScript(Wrap(code), strict: true);
        if (_prepared.Count >= CacheLimit) _prepared.Clear();
        _prepared[code] = prepared;
        return prepared;
    }

    /// <summary>A constrained engine for one run of one script.</summary>
    public Engine NewEngine(CancellationToken cancellationToken) => new(o => o
        .Strict()
        .TimeoutInterval(options.ScriptTimeout)
        .MaxStatements(options.ScriptMaxStatements)
        .LimitMemory(options.ScriptMemoryBytes)
        .LimitRecursion(options.ScriptRecursionDepth)
        .CancellationToken(cancellationToken)
        .DisableStringCompilation());

    private static string Wrap(string code) => "(function () {\n" + code + "\n})()";
}

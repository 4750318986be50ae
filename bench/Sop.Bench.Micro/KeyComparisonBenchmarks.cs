using BenchmarkDotNet.Attributes;
using Sop.Trees;

namespace Sop.Bench.Micro;

/// <summary>
/// The comparison every tree hop makes many times: the engine's UTF-8 order for string keys against plain ordinal
/// comparison (the same order for ASCII keys). Keys share a 15-byte prefix, as neighbouring benchmark keys do.
/// </summary>
[MemoryDiagnoser]
public class KeyComparisonBenchmarks
{
    private const int Pairs = 1_024;
    private readonly string[] _left = new string[Pairs];
    private readonly string[] _right = new string[Pairs];

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Pairs; i++)
        {
            _left[i] = BenchmarkKeys.Key(1_000_000 + i);
            _right[i] = BenchmarkKeys.Key(1_000_000 + i + 1);
        }
    }

    [Benchmark(OperationsPerInvoke = Pairs)]
    public int Utf8OrdinalComparer_Compare()
    {
        int sum = 0;
        var comparer = Utf8OrdinalComparer.Instance;
        for (int i = 0; i < Pairs; i++) sum += comparer.Compare(_left[i], _right[i]);
        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public int String_CompareOrdinal()
    {
        int sum = 0;
        for (int i = 0; i < Pairs; i++) sum += string.CompareOrdinal(_left[i], _right[i]);
        return sum;
    }

    /// <summary>Through <see cref="IComparer{T}"/>, as a generic tree holding a <c>SopKeyComparer</c> calls it.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public int Via_IComparer()
    {
        int sum = 0;
        IComparer<string> comparer = KeyComparers.Default<string>();
        for (int i = 0; i < Pairs; i++) sum += comparer.Compare(_left[i], _right[i]);
        return sum;
    }
}

using BenchmarkDotNet.Running;

// Micro-benchmarks of the engine's hot paths (BenchmarkDotNet): dotnet run -c Release --project bench/Sop.Bench.Micro -- --filter '*'
#if DEBUG
Console.Error.WriteLine("Sop.Bench.Micro measures optimized code only: run it with -c Release.");
return 2;
#else
BenchmarkSwitcher.FromAssembly(typeof(Sop.Bench.Micro.KeyComparisonBenchmarks).Assembly).Run(args);
return 0;
#endif

using Sop.Bench;

// Console benchmark harness: SopOrleans against the embedded peers (default), or the engine-only suite (--engine).
return await BenchMain.RunAsync(args, Console.Out, Console.Error);

// The benchmark harness lands with the engine facade; until then it only reports that.
Console.WriteLine("Sop.Bench: no workloads yet");

using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/NnGen.PeerBenchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(NnGen.PeerBenchmarks.OnnxPeers).Assembly).Run(args);

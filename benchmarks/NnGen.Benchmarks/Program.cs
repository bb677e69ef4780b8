using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(NnGen.Benchmarks.Comparison).Assembly).Run(args);

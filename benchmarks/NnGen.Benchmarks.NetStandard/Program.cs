using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(NnGen.Benchmarks.RuntimeBuildBenchmarks).Assembly).Run(args);

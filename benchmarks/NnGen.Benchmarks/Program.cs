using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- --filter '*' --job short
// dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- thread-scaling [batch] [threads] [samples] [epochs] [busy]
if (args.Length > 0 && args[0] == "thread-scaling")
{
    NnGen.Benchmarks.ThreadScaling.Run(args[1..]);
    return;
}

// dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- sample-split-scaling [batch] [epochs]
if (args.Length > 0 && args[0] == "sample-split-scaling")
{
    NnGen.Benchmarks.SampleSplitScaling.Run(args[1..]);
    return;
}

// dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- first-calls [calls]
if (args.Length > 0 && args[0] == "first-calls")
{
    NnGen.Benchmarks.FirstCalls.Run(args[1..]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(NnGen.Benchmarks.Comparison).Assembly).Run(args);

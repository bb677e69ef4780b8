using System;
using BenchmarkDotNet.Attributes;
using NnGen.CompilerServices;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// One sample through one layer packed in panels (what a snapshot's vectorised layer calls): z = W x + b over a
    /// ring of 64 inputs, as <see cref="RtNeuralCases"/> times one-sample inference. The shapes pick the panel
    /// kernel's three forms: 32 × 64 is two panels (four chains a row, the first layer of RtNeuralCases' f), 64 × 64
    /// and 96 × 96 are four and six panels (two chains), 128 × 200 eight (one chain). One benchmark operation is one layer.
    /// <c>dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- --filter '*PanelBenchmarks*' --launchCount 1 --warmupCount 5 --iterationCount 15</c>
    /// </summary>
    public class PanelBenchmarks
    {
        private const int Ring = 64;

        private int _columns;
        private float[] _packedFloat = null!, _xFloat = null!, _zFloat = null!;
        private double[] _packedDouble = null!, _xDouble = null!, _zDouble = null!;

        [Params("32x64", "64x64", "96x96", "128x200")]
        public string Shape { get; set; } = "64x64";

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(7);
            string[] sides = Shape.Split('x');
            int rows = int.Parse(sides[0], System.Globalization.CultureInfo.InvariantCulture);
            int columns = _columns = int.Parse(sides[1], System.Globalization.CultureInfo.InvariantCulture);
            double[] w = Values(random, rows * columns), b = Values(random, rows), x = Values(random, Ring * columns);
            _packedDouble = BatchKernels.PackPanels(w, b, rows, columns);
            _packedFloat = BatchKernels.PackPanels(Array.ConvertAll(w, v => (float)v), Array.ConvertAll(b, v => (float)v), rows, columns);
            _xDouble = x;
            _xFloat = Array.ConvertAll(x, v => (float)v);
            _zDouble = new double[rows];
            _zFloat = new float[rows];
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "float")]
        public float Float()
        {
            int columns = _columns;
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                BatchKernels.ForwardPacked(_xFloat.AsSpan(r * columns, columns), _packedFloat, _zFloat);
                acc += _zFloat[r % _zFloat.Length];
            }

            return acc;
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "double")]
        public double Double()
        {
            int columns = _columns;
            double acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                BatchKernels.ForwardPacked(_xDouble.AsSpan(r * columns, columns), _packedDouble, _zDouble);
                acc += _zDouble[r % _zDouble.Length];
            }

            return acc;
        }

        private static double[] Values(Random random, int count)
        {
            var values = new double[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = random.NextDouble() - 0.5;
            }

            return values;
        }
    }
}

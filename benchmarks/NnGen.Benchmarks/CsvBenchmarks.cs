using System;
using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// Csv.Load of an MNIST-sized file: 60,000 rows of 784 pixel values (0 in 70% of cells, else 0 to 255) and a label
    /// 0 to 9, about 116 MB, written once into the temp folder. Allocated bytes are the loader's whole traffic; the data
    /// set itself is 60,000 × (784 + 10) floats, 190 MB.
    /// </summary>
    [MemoryDiagnoser]
    public class CsvBenchmarks
    {
        private string _path = null!;

        [GlobalSetup]
        public void Setup()
        {
            _path = Path.Combine(Path.GetTempPath(), "nngen-bench-mnist-like.csv");
            if (File.Exists(_path))
            {
                return;
            }

            var random = new Random(1);
            var line = new StringBuilder();
            using var writer = new StreamWriter(_path + ".part");
            for (int i = 0; i < 60000; i++)
            {
                line.Clear();
                for (int j = 0; j < 784; j++)
                {
                    line.Append(random.Next(10) < 7 ? 0 : random.Next(256)).Append(',');
                }

                line.Append(random.Next(10));
                writer.WriteLine(line);
            }

            writer.Dispose();
            File.Move(_path + ".part", _path, overwrite: true);
        }

        [Benchmark(Description = "Csv.Load<float>, 60,000 × 785")]
        public int LoadMnistLike() => Csv.Load<float>(_path).Count;
    }
}

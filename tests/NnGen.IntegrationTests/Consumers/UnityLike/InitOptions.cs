// The runtime's init-only options, set from C# 9 against the netstandard2.1 build: the runtime brings its own
// IsExternalInit (netstandard2.1 has none), and Unity's compiler must accept it.
using NnGen;

namespace UnityLike
{
    public static class InitOptions
    {
        public static TrainerOptions Training() => new TrainerOptions
        {
            Epochs = 3,
            BatchSize = 4,
            LearningRate = 0.05,
            Optimizer = Optimizer.Adam(),
            EarlyStopping = new EarlyStopping { Patience = 2 },
        };

        public static CsvOptions Csv() => new CsvOptions { HasHeader = true, Separator = ';', ClassCount = 3 };
    }
}

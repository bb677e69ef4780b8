using System;
using System.IO;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// A null where the runtime's public entry points need an object is an ArgumentNullException naming the parameter,
    /// never a NullReferenceException from inside. Found by calling each with null: Evaluation.Evaluate(null, data),
    /// Csv.Read(null), Standardizer.Apply(null), WeightsFile.Save(null, stream) and WeightsFile.Save(net, (Stream)null)
    /// threw NullReferenceException.
    /// </summary>
    public sealed class NullArgumentTests
    {
        public static TheoryData<string, string> Calls() => new()
        {
            { "Evaluation.Evaluate(null, data)", "network" },
            { "Evaluation.Evaluate(net, null)", "data" },
            { "Evaluation.Evaluate(null, data, loss)", "network" },
            { "Evaluation.Evaluate(net, data, null)", "lossFunction" },
            { "Csv.Load(null)", "path" },
            { "Csv.Read(null)", "reader" },
            { "Standardizer.Fit(null)", "training" },
            { "Standardizer.Apply(null)", "data" },
            { "WeightsFile.Save(null, stream)", "network" },
            { "WeightsFile.Save(net, (Stream)null)", "stream" },
            { "WeightsFile.Save(net, (string)null)", "path" },
            { "WeightsFile.SaveForBaking(null, path)", "network" },
            { "WeightsFile.ToBakingText(null)", "file" },
            { "WeightsFile.Load(null, stream)", "network" },
            { "WeightsFile.Load(net, (Stream)null)", "stream" },
            { "Safetensors.Import(null, stream)", "network" },
            { "Safetensors.Import(net, (Stream)null)", "stream" },
            { "Safetensors.Export(null, stream)", "network" },
            { "Safetensors.Export(net, (Stream)null)", "stream" },
            { "Safetensors.Export(net, (string)null)", "path" },
            { "new Trainer(null)", "network" },
            { "Trainer.Train(null)", "training" },
            { "Optimizer.Step(null, rate)", "network" },
            { "new Dataset(null, targets)", "inputs" },
            { "new Dataset(inputs, null)", "targets" },
        };

        [Theory]
        [MemberData(nameof(Calls))]
        public void A_null_argument_is_an_ArgumentNullException_naming_it(string call, string parameter)
        {
            var net = new TinyNet();
            var data = new Dataset<double>(new double[4], new double[4], 2, 2);
            var loss = new HuberLoss<double>();
            Action action = call switch
            {
                "Evaluation.Evaluate(null, data)" => () => Evaluation.Evaluate<double>(null!, data),
                "Evaluation.Evaluate(net, null)" => () => Evaluation.Evaluate(net, null!),
                "Evaluation.Evaluate(null, data, loss)" => () => Evaluation.Evaluate<double>(null!, data, loss),
                "Evaluation.Evaluate(net, data, null)" => () => Evaluation.Evaluate(net, data, null!),
                "Csv.Load(null)" => () => Csv.Load<float>(null!),
                "Csv.Read(null)" => () => Csv.Read<float>(null!),
                "Standardizer.Fit(null)" => () => Standardizer.Fit<double>(null!),
                "Standardizer.Apply(null)" => () => Standardizer.Fit(data).Apply<double>(null!),
                "WeightsFile.Save(null, stream)" => () => WeightsFile.Save<double>(null!, new MemoryStream()),
                "WeightsFile.Save(net, (Stream)null)" => () => WeightsFile.Save(net, (Stream)null!),
                "WeightsFile.Save(net, (string)null)" => () => WeightsFile.Save(net, (string)null!),
                "WeightsFile.SaveForBaking(null, path)" => () => WeightsFile.SaveForBaking<double>(null!, Path.Combine(Path.GetTempPath(), "never-written.additionalfile")),
                "WeightsFile.ToBakingText(null)" => () => WeightsFile.ToBakingText(null!),
                "WeightsFile.Load(null, stream)" => () => WeightsFile.Load<double>(null!, new MemoryStream()),
                "WeightsFile.Load(net, (Stream)null)" => () => WeightsFile.Load(net, (Stream)null!),
                "Safetensors.Import(null, stream)" => () => Safetensors.Import<double>(null!, new MemoryStream()),
                "Safetensors.Import(net, (Stream)null)" => () => Safetensors.Import(net, (Stream)null!),
                "Safetensors.Export(null, stream)" => () => Safetensors.Export<double>(null!, new MemoryStream()),
                "Safetensors.Export(net, (Stream)null)" => () => Safetensors.Export(net, (Stream)null!),
                "Safetensors.Export(net, (string)null)" => () => Safetensors.Export(net, (string)null!),
                "new Trainer(null)" => () => _ = new Trainer<double>(null!),
                "Trainer.Train(null)" => () => new Trainer<double>(net).Train(null!),
                "Optimizer.Step(null, rate)" => () => Optimizer.Adam().Step<double>(null!, 0.1),
                "new Dataset(null, targets)" => () => _ = new Dataset<double>(null!, new double[2], 2, 2),
                "new Dataset(inputs, null)" => () => _ = new Dataset<double>(new double[2], null!, 2, 2),
                _ => throw new ArgumentOutOfRangeException(nameof(call), call, "no such call"),
            };

            ArgumentNullException e = Assert.Throws<ArgumentNullException>(action);
            Assert.Equal(parameter, e.ParamName);
        }
    }
}

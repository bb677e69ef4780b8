using System;
using System.Collections.Generic;
using NnGen;

namespace UnityLike
{
    // Weights compiled in from weights/seed.nngw: inference only.
    [Network(Inputs = 2, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled, Weights = "seed.nngw")]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class BakedSeed { }

    /// <summary>Runs every network of this library through every generated member.</summary>
    public static class Surface
    {
        public static List<INetwork<float>> Networks() => new List<INetwork<float>>
        {
            new SquaredErrorIdentityLogisticUnrolled(),
            new SquaredErrorIdentityLogisticVectorized(),
            new SquaredErrorLogisticTanhUnrolled(),
            new SquaredErrorLogisticTanhVectorized(),
            new SquaredErrorTanhReluUnrolled(),
            new SquaredErrorTanhReluVectorized(),
            new SquaredErrorReluEluUnrolled(),
            new SquaredErrorReluEluVectorized(),
            new SquaredErrorEluSoftmaxUnrolled(),
            new SquaredErrorEluSoftmaxVectorized(),
            new SquaredErrorSoftmaxIdentityUnrolled(),
            new SquaredErrorSoftmaxIdentityVectorized(),
            new HalfSquaredErrorIdentityLogisticUnrolled(),
            new HalfSquaredErrorIdentityLogisticVectorized(),
            new HalfSquaredErrorLogisticTanhUnrolled(),
            new HalfSquaredErrorLogisticTanhVectorized(),
            new HalfSquaredErrorTanhReluUnrolled(),
            new HalfSquaredErrorTanhReluVectorized(),
            new HalfSquaredErrorReluEluUnrolled(),
            new HalfSquaredErrorReluEluVectorized(),
            new HalfSquaredErrorEluSoftmaxUnrolled(),
            new HalfSquaredErrorEluSoftmaxVectorized(),
            new HalfSquaredErrorSoftmaxIdentityUnrolled(),
            new HalfSquaredErrorSoftmaxIdentityVectorized(),
            new MeanSquaredErrorIdentityLogisticUnrolled(),
            new MeanSquaredErrorIdentityLogisticVectorized(),
            new MeanSquaredErrorLogisticTanhUnrolled(),
            new MeanSquaredErrorLogisticTanhVectorized(),
            new MeanSquaredErrorTanhReluUnrolled(),
            new MeanSquaredErrorTanhReluVectorized(),
            new MeanSquaredErrorReluEluUnrolled(),
            new MeanSquaredErrorReluEluVectorized(),
            new MeanSquaredErrorEluSoftmaxUnrolled(),
            new MeanSquaredErrorEluSoftmaxVectorized(),
            new MeanSquaredErrorSoftmaxIdentityUnrolled(),
            new MeanSquaredErrorSoftmaxIdentityVectorized(),
            new CrossEntropyIdentitySoftmaxUnrolled(),
            new CrossEntropyIdentitySoftmaxVectorized(),
            new CrossEntropyLogisticLogisticUnrolled(),
            new CrossEntropyLogisticLogisticVectorized(),
            new CrossEntropyTanhSoftmaxUnrolled(),
            new CrossEntropyTanhSoftmaxVectorized(),
            new CrossEntropyReluLogisticUnrolled(),
            new CrossEntropyReluLogisticVectorized(),
            new CrossEntropyEluSoftmaxUnrolled(),
            new CrossEntropyEluSoftmaxVectorized(),
            new CrossEntropySoftmaxLogisticUnrolled(),
            new CrossEntropySoftmaxLogisticVectorized(),
            new BinaryCrossEntropyIdentitySoftmaxUnrolled(),
            new BinaryCrossEntropyIdentitySoftmaxVectorized(),
            new BinaryCrossEntropyLogisticLogisticUnrolled(),
            new BinaryCrossEntropyLogisticLogisticVectorized(),
            new BinaryCrossEntropyTanhSoftmaxUnrolled(),
            new BinaryCrossEntropyTanhSoftmaxVectorized(),
            new BinaryCrossEntropyReluLogisticUnrolled(),
            new BinaryCrossEntropyReluLogisticVectorized(),
            new BinaryCrossEntropyEluSoftmaxUnrolled(),
            new BinaryCrossEntropyEluSoftmaxVectorized(),
            new BinaryCrossEntropySoftmaxLogisticUnrolled(),
            new BinaryCrossEntropySoftmaxLogisticVectorized(),
        };

        /// <summary>One line per network: its name and whether forward, loss, a training step and a batch all gave finite numbers.</summary>
        public static List<string> Exercise()
        {
            var lines = new List<string>();
            float[] input = { 0.1f, -0.4f, 0.7f, 0.2f };
            float[] target = { 0.2f, 0.3f, 0.5f };
            float[] output = new float[3];
            float[] maskedTarget = { 0.2f, 0.3f, 0.5f, 1f, 0f, 1f };
            var masked = new MaskedSquaredError();
            foreach (INetwork<float> net in Networks())
            {
                net.InitializeParameters(7);
                float before = net.Loss(input, target);
                for (int i = 0; i < 5; i++)
                {
                    net.Accumulate(input, target);
                    net.AccumulateBatch(new float[8], new float[6]);
                    net.Accumulate(input, maskedTarget, masked);
                    net.AccumulateBatch(new float[8], new float[12], masked);
                    net.Step(0.1f);
                }

                net.Forward(input, output);
                float[] outputs = new float[6];
                net.ForwardBatch(new float[8], outputs);
                bool finite = IsFinite(before) && IsFinite(net.Loss(input, target)) && Array.TrueForAll(output, IsFinite) && Array.TrueForAll(outputs, IsFinite);
                lines.Add(net.GetType().Name + ": " + (finite ? "ok" : "NOT FINITE"));
            }

            var twin = new DoubleTanhSoftmaxVectorized();
            double[] y = new double[3];
            twin.Forward(new double[] { 1, 2, 3, 4 }, y);
            lines.Add("double: " + (Math.Abs(y[0] + y[1] + y[2] - 1) < 1e-12 ? "ok" : "softmax does not sum to 1"));
            return lines;
        }

        private static bool IsFinite(float value) => !float.IsNaN(value) && !float.IsInfinity(value);
    }

    /// <summary>A loss function of the user's, written in C# 9: ½ Σ m_k (a_k − t_k)², the target being t then the mask m.</summary>
    public sealed class MaskedSquaredError : LossFunction<float>
    {
        public override int TargetCount(int outputCount) => 2 * outputCount;

        public override float Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> outputGradient)
        {
            float loss = 0;
            for (int k = 0; k < output.Length; k++)
            {
                float r = output[k] - target[k], mask = target[output.Length + k];
                loss += mask * r * r / 2;
                outputGradient[k] = mask * r;
            }

            return loss;
        }
    }
}

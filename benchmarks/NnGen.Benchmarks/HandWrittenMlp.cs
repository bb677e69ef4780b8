using System;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// The baseline: the dense network a C# developer writes without NnGen, with jagged weight arrays,
    /// one activation buffer per layer allocated up front, and loops. Tanh hidden layers, and an
    /// identity output with squared error or a softmax output with cross-entropy.
    /// </summary>
    public sealed class HandWrittenMlp
    {
        private readonly int[] _sizes;
        private readonly bool _softmaxOutput;
        private readonly float[][][] _weights;
        private readonly float[][] _biases;
        private readonly float[][][] _weightGradients;
        private readonly float[][] _biasGradients;
        private readonly float[][] _activations;
        private readonly float[][] _deltas;
        private int _samples;

        public HandWrittenMlp(int[] sizes, bool softmaxOutput, int seed)
        {
            _sizes = sizes;
            _softmaxOutput = softmaxOutput;
            var random = new Random(seed);
            int layers = sizes.Length - 1;
            _weights = new float[layers][][];
            _biases = new float[layers][];
            _weightGradients = new float[layers][][];
            _biasGradients = new float[layers][];
            _activations = new float[sizes.Length][];
            _deltas = new float[layers][];
            _activations[0] = new float[sizes[0]];
            for (int l = 0; l < layers; l++)
            {
                float bound = MathF.Sqrt(6f / (sizes[l] + sizes[l + 1]));
                _weights[l] = new float[sizes[l + 1]][];
                _weightGradients[l] = new float[sizes[l + 1]][];
                for (int i = 0; i < sizes[l + 1]; i++)
                {
                    _weights[l][i] = new float[sizes[l]];
                    _weightGradients[l][i] = new float[sizes[l]];
                    for (int j = 0; j < sizes[l]; j++)
                    {
                        _weights[l][i][j] = (float)((random.NextDouble() * 2) - 1) * bound;
                    }
                }

                _biases[l] = new float[sizes[l + 1]];
                _biasGradients[l] = new float[sizes[l + 1]];
                _activations[l + 1] = new float[sizes[l + 1]];
                _deltas[l] = new float[sizes[l + 1]];
            }
        }

        public void Forward(float[] input, float[] output)
        {
            Array.Copy(input, _activations[0], input.Length);
            int layers = _sizes.Length - 1;
            for (int l = 0; l < layers; l++)
            {
                float[] previous = _activations[l];
                float[] current = _activations[l + 1];
                for (int i = 0; i < current.Length; i++)
                {
                    float sum = _biases[l][i];
                    float[] row = _weights[l][i];
                    for (int j = 0; j < previous.Length; j++)
                    {
                        sum += row[j] * previous[j];
                    }

                    current[i] = sum;
                }

                if (l < layers - 1)
                {
                    for (int i = 0; i < current.Length; i++)
                    {
                        current[i] = MathF.Tanh(current[i]);
                    }
                }
                else if (_softmaxOutput)
                {
                    float max = current[0];
                    for (int i = 1; i < current.Length; i++)
                    {
                        max = Math.Max(max, current[i]);
                    }

                    float total = 0;
                    for (int i = 0; i < current.Length; i++)
                    {
                        current[i] = MathF.Exp(current[i] - max);
                        total += current[i];
                    }

                    for (int i = 0; i < current.Length; i++)
                    {
                        current[i] /= total;
                    }
                }
            }

            Array.Copy(_activations[layers], output, output.Length);
        }

        public float Accumulate(float[] input, float[] target, float[] output)
        {
            Forward(input, output);
            int layers = _sizes.Length - 1;
            float[] a = _activations[layers];
            float[] delta = _deltas[layers - 1];
            float loss = 0;
            for (int k = 0; k < a.Length; k++)
            {
                if (_softmaxOutput)
                {
                    loss -= target[k] * MathF.Log(a[k]);
                    delta[k] = a[k] - target[k];
                }
                else
                {
                    float r = a[k] - target[k];
                    loss += r * r;
                    delta[k] = 2 * r;
                }
            }

            for (int l = layers - 1; l >= 0; l--)
            {
                float[] d = _deltas[l];
                float[] previous = _activations[l];
                for (int i = 0; i < d.Length; i++)
                {
                    float[] gradientRow = _weightGradients[l][i];
                    for (int j = 0; j < previous.Length; j++)
                    {
                        gradientRow[j] += d[i] * previous[j];
                    }

                    _biasGradients[l][i] += d[i];
                }

                if (l == 0)
                {
                    break;
                }

                float[] below = _deltas[l - 1];
                for (int j = 0; j < below.Length; j++)
                {
                    float sum = 0;
                    for (int i = 0; i < d.Length; i++)
                    {
                        sum += _weights[l][i][j] * d[i];
                    }

                    below[j] = sum * (1 - (previous[j] * previous[j]));
                }
            }

            _samples++;
            return loss;
        }

        public void Step(float learningRate)
        {
            float scale = learningRate / _samples;
            for (int l = 0; l < _weights.Length; l++)
            {
                for (int i = 0; i < _weights[l].Length; i++)
                {
                    for (int j = 0; j < _weights[l][i].Length; j++)
                    {
                        _weights[l][i][j] -= scale * _weightGradients[l][i][j];
                        _weightGradients[l][i][j] = 0;
                    }

                    _biases[l][i] -= scale * _biasGradients[l][i];
                    _biasGradients[l][i] = 0;
                }
            }

            _samples = 0;
        }
    }
}

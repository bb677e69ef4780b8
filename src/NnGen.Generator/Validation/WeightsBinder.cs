using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;
using NnGen.Generator.Reading;

namespace NnGen.Generator.Validation
{
    /// <summary>
    /// Stage 2b: for a network that bakes its weights, finds the AdditionalFiles item it names, reads it
    /// and checks that it was saved from a network of this shape. A file that is missing, ambiguous,
    /// unreadable or of another shape is a diagnostic on the Weights argument and no code, never a
    /// network with some other parameters.
    /// </summary>
    internal static class WeightsBinder
    {
        /// <summary>
        /// Above this many parameters a baked network gets NNG025. Measured (docs/benchmarks.md): the initializer is
        /// about <see cref="BakedBytesPerParameter"/> bytes of source per parameter, and each costs the compiler about
        /// 25 µs and 1.5 KB: 203,530 parameters added 6 to 9 s and 0.2 GB to a build, 1,863,690 added 50 s and 2.7 GB.
        /// </summary>
        public const int BakedParametersWarning = 262_144;

        /// <summary>Bytes of generated source per baked parameter (a literal of up to 9 digits, its sign and separator), for NNG025's estimate.</summary>
        public const double BakedBytesPerParameter = 15;

        /// <summary>
        /// NNG026 warns when the weights file is larger than this and more than four times what its baked parameters take
        /// even in double: a checkpoint of which a small head is baked. The build reads the whole file as base64 text on every
        /// build, about ten times its size in memory (a 200 MB checkpoint: 16 s and 2.3 GB).
        /// </summary>
        public const int LargeWeightsFileBytes = 16 * 1024 * 1024;

        public static ValidationResult Bind(ValidationResult result, ImmutableArray<AdditionalWeightsFile> files)
        {
            if (result.Model is not { Weights: { } reference } model)
            {
                return result;
            }

            string network = model.Type.DisplayName;
            LocationInfo? at = result.Sites.Weights;
            List<AdditionalWeightsFile> matches = files
                .Where(f => AdditionalWeightsFile.Matches(f.Path, reference.Name))
                .GroupBy(f => f.Path, StringComparer.Ordinal)
                .Select(g => g.First())
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .ToList();

            if (matches.Count == 0)
            {
                return Fail(result, DiagnosticDescriptors.WeightsFileMissing, at, network, reference.Name);
            }

            if (matches.Count > 1)
            {
                return Fail(
                    result,
                    DiagnosticDescriptors.WeightsFileAmbiguous,
                    at,
                    network,
                    reference.Name,
                    matches.Count,
                    string.Join(", ", matches.Select(m => m.Path)),
                    LongerName(matches[0].Path, reference.Name));
            }

            AdditionalWeightsFile file = matches[0];
            WeightsData? data = file.Data;
            string? error = file.Error;
            if (reference.Layers.Count > 0 && file.Bytes.Count > 0)
            {
                // The layers named: only those tensors are read, so the rest of the file may hold anything.
                (data, error) = ReadLayers(file, reference.Layers);
            }

            if (error is not null || data is null)
            {
                return Fail(result, DiagnosticDescriptors.WeightsFileUnreadable, at, reference.Name, network, error ?? "it could not be read");
            }

            if (!HasShapeOf(data, model))
            {
                return Fail(result, DiagnosticDescriptors.WeightsShapeMismatch, at, reference.Name, Describe(data), network, Describe(model));
            }

            bool single = model.Precision == PrecisionKind.Single;
            var values = new List<double>();
            foreach (FileLayer layer in data.Layers)
            {
                if (FirstUnrepresentable(layer.Weights, single) is int w)
                {
                    return Unrepresentable(layer, "W", w, layer.Weights[w]);
                }

                if (FirstUnrepresentable(layer.Biases, single) is int b)
                {
                    return Unrepresentable(layer, "b", b, layer.Biases[b]);
                }

                values.AddRange(layer.Weights);
                values.AddRange(layer.Biases);
            }

            var baked = new BakedWeights(FileName(file.Path), data.Format, values.ToEquatableArray());
            ValidationResult bound = result with { Model = model with { Baked = baked } };
            if (file.Bytes.Count > LargeWeightsFileBytes && file.Bytes.Count > 4L * 8 * values.Count)
            {
                bound = Warn(bound, DiagnosticDescriptors.LargeWeightsFile, at, network, values.Count, FileName(file.Path), Megabytes(file.Bytes.Count));
            }

            if (values.Count > BakedParametersWarning)
            {
                bound = Warn(bound, DiagnosticDescriptors.LargeBakedSource, at, network, values.Count, Megabytes(values.Count * BakedBytesPerParameter), BakedParametersWarning);
            }

            return bound;

            ValidationResult Unrepresentable(FileLayer layer, string matrix, int index, double value) => Fail(
                result,
                DiagnosticDescriptors.WeightsFileUnreadable,
                at,
                reference.Name,
                network,
                double.IsNaN(value) || double.IsInfinity(value)
                    ? Invariant($"{matrix} of {layer.Name} holds {value} at index {index}; a diverged network cannot be baked")
                    : Invariant($"{matrix} of {layer.Name} holds {value:R} at index {index}, beyond the range of float; declare the network with Precision.Double"));
        }

        private static (WeightsData? Data, string? Error) ReadLayers(AdditionalWeightsFile file, EquatableArray<string> names)
        {
            byte[] bytes = file.Bytes.AsSpan().ToArray();
            if (NngwFormat.HasMagic(bytes))
            {
                return (null, "WeightsLayers picks layers of a safetensors file, but this is an NnGen weights file, whose layers have no names; leave WeightsLayers out");
            }

            try
            {
                return (SafetensorsReader.Read(bytes, names.ToArray()), null);
            }
            catch (WeightsReadException e)
            {
                return (null, e.Message);
            }
        }

        /// <summary>Same inputs, layer sizes and (where the file records them) activations: what WeightsFile.Load requires.</summary>
        private static bool HasShapeOf(WeightsData data, NetworkModel model)
        {
            if (data.Layers.Count != model.Layers.Count || (data.InputCount is int inputs && inputs != model.Inputs))
            {
                return false;
            }

            int fanIn = model.Inputs;
            for (int l = 0; l < model.Layers.Count; l++)
            {
                FileLayer file = data.Layers[l];
                LayerModel layer = model.Layers[l];
                if (file.Rows != layer.Size || file.Columns != fanIn)
                {
                    return false;
                }

                if (file.Record is { } record && !record.Equals(layer.Spec))
                {
                    return false;
                }

                fanIn = layer.Size;
            }

            return true;
        }

        private static string Describe(NetworkModel model) =>
            model.Inputs.ToString(CultureInfo.InvariantCulture) + " → "
            + string.Join(" → ", model.Layers.Select(l => l.Size.ToString(CultureInfo.InvariantCulture) + " " + LayerPlan.Text(l.Spec)));

        private static string Describe(WeightsData data)
        {
            if (data.Layers.Any(l => l.Record is null))
            {
                // safetensors: shapes only.
                return "linear layers " + string.Join(", ", data.Layers.Select(l => Invariant($"{l.Name} [{l.Rows}, {l.Columns}]")));
            }

            return "weights for " + (data.InputCount ?? data.Layers[0].Columns).ToString(CultureInfo.InvariantCulture) + " → "
                + string.Join(" → ", data.Layers.Select(l => l.Rows.ToString(CultureInfo.InvariantCulture) + " " + LayerPlan.Text(l.Record!.Value)));
        }

        // A value that is not finite, or (in a float network) would round to infinity.
        private static int? FirstUnrepresentable(double[] values, bool single)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!NumericLimits.IsFinite(values[i], single))
                {
                    return i;
                }
            }

            return null;
        }

        // The name plus the folder above it: the suggestion for NNG019.
        private static string LongerName(string path, string name)
        {
            string[] segments = path.Replace('\\', '/').Split('/');
            int taken = name.Replace('\\', '/').Split('/').Length + 1;
            return string.Join("/", segments.Skip(Math.Max(0, segments.Length - taken)));
        }

        private static string FileName(string path)
        {
            string normalized = path.Replace('\\', '/');
            return normalized.Substring(normalized.LastIndexOf('/') + 1);
        }

        // A warning beside the model: the code is still generated.
        private static ValidationResult Warn(ValidationResult result, Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
            result with { Diagnostics = result.Diagnostics.Concat(new[] { DiagnosticInfo.Create(descriptor, location, arguments) }).ToEquatableArray() };

        private static string Megabytes(double bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture);

        private static ValidationResult Fail(ValidationResult result, Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
            result with { Model = null, Diagnostics = result.Diagnostics.Concat(new[] { DiagnosticInfo.Create(descriptor, location, arguments) }).ToEquatableArray() };

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}

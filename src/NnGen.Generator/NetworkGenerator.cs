using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NnGen.Generator.Common;
using NnGen.Generator.Emitting;
using NnGen.Generator.Planning;
using NnGen.Generator.Reading;
using NnGen.Generator.Validation;

namespace NnGen.Generator
{
    /// <summary>
    /// Generates a dense neural network's forward pass, backpropagation and SGD update for every
    /// class marked [Network]. The stages are read → validate → bind baked weights → plan → emit; each
    /// step's output is an equatable value, so an edit elsewhere in the project regenerates nothing.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, for the caching tests.</summary>
        public static class Steps
        {
            public const string Declaration = nameof(Declaration);
            public const string Validation = nameof(Validation);
            public const string WeightsFiles = nameof(WeightsFiles);
            public const string Binding = nameof(Binding);
            public const string Model = nameof(Model);
            public const string Diagnostics = nameof(Diagnostics);
            public const string Source = nameof(Source);
        }

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<ValidationResult> validated = context.SyntaxProvider
                .ForAttributeWithMetadataName(KnownNames.NetworkAttribute, DeclarationReader.IsCandidate, DeclarationReader.Read)
                .Where(static declaration => declaration is not null)
                .WithTrackingName(Steps.Declaration)
                .Select(static (declaration, _) => DeclarationValidator.Validate(declaration!))
                .WithTrackingName(Steps.Validation);

            // Only the AdditionalFiles items that some network names in Weights are read, and each read is
            // cached on the item: a project with no baked network reads nothing.
            IncrementalValueProvider<EquatableArray<string>> weightsNames = validated
                .Select(static (result, _) => result.Model?.Weights?.Name)
                .Where(static name => name is not null)
                .Select(static (name, _) => name!)
                .Collect()
                .Select(static (names, _) => names.ToEquatableArray());

            IncrementalValueProvider<ImmutableArray<AdditionalWeightsFile>> weightsFiles = context.AdditionalTextsProvider
                .Combine(weightsNames)
                .Where(static pair => pair.Right.Any(name => AdditionalWeightsFile.Matches(pair.Left.Path, name)))
                .Select(static (pair, cancellationToken) => AdditionalWeightsFile.Read(pair.Left, cancellationToken))
                .WithTrackingName(Steps.WeightsFiles)
                .Collect();

            IncrementalValuesProvider<ValidationResult> results = validated
                .Combine(weightsFiles)
                .Select(static (pair, _) => WeightsBinder.Bind(pair.Left, pair.Right))
                .WithTrackingName(Steps.Binding);

            IncrementalValueProvider<RuntimeFeatures> runtime = context.CompilationProvider
                .Select(static (compilation, _) => TargetRuntime.Of(compilation));

            // Some hold for one kind of runtime only (a baked network's NNG027, in Vector128 lanes or not).
            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
                .Combine(runtime)
                .Select(static (pair, _) => pair.Left.ForTarget.Count == 0
                    ? pair.Left.Diagnostics
                    : pair.Left.Diagnostics.Concat(pair.Left.ForTarget.Where(t => t.Lanes == pair.Right.Lanes).Select(t => t.Diagnostic)).ToEquatableArray())
                .Where(static list => list.Count > 0)
                .WithTrackingName(Steps.Diagnostics);

            // The model holds no location, so an edit that only moves a declaration stops here: the code is
            // not emitted again.
            IncrementalValuesProvider<GeneratedSource> sources = results
                .Select(static (result, _) => result.Model)
                .Where(static model => model is not null)
                .WithTrackingName(Steps.Model)
                .Combine(runtime)
                .Select(static (pair, _) => Generate(pair.Left!, pair.Right))
                .WithTrackingName(Steps.Source);

            // Where an NNG999 would point, for the networks that get code.
            IncrementalValuesProvider<(string Key, LocationInfo? Attribute)> sites = results
                .Where(static result => result.Model is not null)
                .Select(static (result, _) => (result.Model!.Type.Key, result.Sites.Attribute));

            // Reported against the current compilation's syntax trees, so that #pragma warning disable reaches them. Only this
            // last step sees the compilation, and it runs on every edit, as reporting a few diagnostics costs nothing; the
            // steps before it stay cached.
            context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (spc, pair) =>
            {
                foreach (DiagnosticInfo diagnostic in pair.Left)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right));
                }
            });

            // Hint names are assigned over every network at once, so that no two can collide.
            context.RegisterSourceOutput(sources.Collect().Combine(sites.Collect()), static (spc, pair) =>
            {
                Dictionary<string, string> hintNames = HintNames.Assign(pair.Left.Select(s => s.Key));
                var added = new HashSet<string>(System.StringComparer.Ordinal);
                foreach (GeneratedSource source in pair.Left)
                {
                    // The same class twice: [Network] on two of its partial declarations, which the compiler reports (CS0579).
                    if (!added.Add(source.Key))
                    {
                        continue;
                    }

                    string? failure = source.Failure;
                    if (failure is null)
                    {
                        try
                        {
                            spc.AddSource(hintNames[source.Key], SourceText.From(source.Text, Encoding.UTF8));
                            continue;
                        }
                        catch (System.ArgumentException e)
                        {
                            failure = e.GetType().Name + ": " + e.Message;
                        }
                    }

                    LocationInfo? at = pair.Right.FirstOrDefault(site => site.Key == source.Key).Attribute;
                    spc.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, at, source.DisplayName, failure).ToDiagnostic());
                }
            });
        }

        // A bug in planning or emitting must not take the compiler's generator run down with it (CS8785):
        // it becomes NNG999 on the declaration, and only that class goes without code.
        private static GeneratedSource Generate(NetworkModel model, RuntimeFeatures runtime)
        {
            try
            {
                NetworkPlan plan = NetworkPlan.Create(model, runtime.MatrixKernels, runtime.Lanes, runtime.NamedOptimization, runtime.LocalFunctionAttributes);
                return new GeneratedSource(model.Type.Key, model.Type.DisplayName, SourceEmitter.Emit(plan), null);
            }
            catch (System.Exception e) when (e is not System.OperationCanceledException)
            {
                return new GeneratedSource(model.Type.Key, model.Type.DisplayName, string.Empty, e.GetType().Name + ": " + e.Message);
            }
        }

        private sealed record GeneratedSource(string Key, string DisplayName, string Text, string? Failure);
    }
}

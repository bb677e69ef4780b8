using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.Generator.Tests
{
    /// <summary>
    /// Literals and diagnostic messages are formatted with the invariant culture: a build machine set
    /// to a culture with a U+2212 minus sign and a decimal comma generates the same, compiling code.
    /// </summary>
    public sealed class CultureTests
    {
        private const string Source = """
            using NnGen;

            [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy)]
            [Layer(3, Activation.Logistic, Max = 2.5, Steepness = -1.5, Midpoint = -0.125)]
            [Layer(3, Activation.Elu, Alpha = 0.75)]
            [Layer(2, Activation.Logistic, Max = 0.5, Steepness = -3, Midpoint = 0.5)]
            public partial class Net { }
            """;

        [Fact]
        public void Generated_code_is_the_same_under_a_culture_with_a_unicode_minus_and_a_decimal_comma()
        {
            string invariant = Cultures.In(CultureInfo.InvariantCulture, () => GeneratorRunner.Run(Source).Source);
            GeneratorOutput unusual = Cultures.In(Cultures.Unusual(), () => GeneratorRunner.Run(Source));

            // The culture does take effect in this test: it is not the formatting of the test itself.
            Assert.Equal("\u22121,5", Cultures.In(Cultures.Unusual(), () => (-1.5).ToString(CultureInfo.CurrentCulture)));

            Assert.Equal(invariant, unusual.Source);
            Assert.Empty(unusual.CompilationProblems);
            Assert.Contains("-1.5f", unusual.Source, StringComparison.Ordinal);
            Assert.Contains("0.125f", unusual.Source, StringComparison.Ordinal);

            // Outside comments (which use − for the mathematics), the code contains no U+2212 and no decimal comma.
            string code = string.Join("\n", unusual.Source.Split('\n').Select(line => line.Split("//")[0]));
            Assert.DoesNotContain('\u2212', code);
            Assert.DoesNotMatch(@"\d,\d", code);
        }

        [Fact]
        public void Diagnostic_messages_quote_numbers_invariantly()
        {
            const string invalid = """
                using NnGen;

                [Network(Inputs = 2)]
                [Layer(2, Activation.Elu, Alpha = -0.5)]
                public partial class Net { }
                """;
            Diagnostic d = Cultures.In(Cultures.Unusual(), () => GeneratorRunner.Run(invalid).GeneratorDiagnostics.Single());
            Assert.Equal("NNG009", d.Id);
            Assert.Contains("Alpha = -0.5 is invalid", Cultures.In(Cultures.Unusual(), () => d.GetMessage(CultureInfo.CurrentCulture)), StringComparison.Ordinal);
        }

        // Issue 9, section 3: the overflowing parameter count came out in a comment as "−1705032715" under sv-SE.
        // Such a count is now NNG021, whose message quotes the true count the same way in every culture.
        [Fact]
        public void An_overflowing_parameter_count_reads_the_same_in_every_culture()
        {
            const string huge = """
                using NnGen;

                [Network(Inputs = 2000000000)]
                [Layer(3, Activation.Tanh)]
                [Layer(2, Activation.Identity)]
                public partial class Net { }
                """;
            string invariant = GeneratorRunner.Run(huge).GeneratorDiagnostics.Single().GetMessage(CultureInfo.InvariantCulture);
            string unusual = Cultures.In(Cultures.Unusual(), () => GeneratorRunner.Run(huge).GeneratorDiagnostics.Single().GetMessage(CultureInfo.CurrentCulture));
            Assert.Equal(invariant, unusual);
            Assert.Contains("6000000011 parameters", unusual, StringComparison.Ordinal);
            Assert.DoesNotContain('\u2212', unusual);
        }
    }
}

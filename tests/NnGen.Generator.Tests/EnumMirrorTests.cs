using System;
using System.Linq;
using NnGen.Generator.Common;
using Xunit;

namespace NnGen.Generator.Tests
{
    /// <summary>The generator mirrors the attribute enums by value; the two must never drift apart.</summary>
    public sealed class EnumMirrorTests
    {
        [Fact]
        public void Activation_matches() => AssertMirrors<Activation, ActivationKind>();

        [Fact]
        public void Cost_matches() => AssertMirrors<Cost, CostKind>();

        [Fact]
        public void Precision_matches() => AssertMirrors<Precision, PrecisionKind>();

        [Fact]
        public void CodeShape_matches() => AssertMirrors<CodeShape, CodeShapeKind>();

        private static void AssertMirrors<TPublic, TMirror>()
            where TPublic : struct, Enum
            where TMirror : struct, Enum
        {
            Assert.Equal(
                Enum.GetValues<TPublic>().Select(v => (v.ToString(), Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))),
                Enum.GetValues<TMirror>().Select(v => (v.ToString(), Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))));
        }
    }
}

using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NnGen.CompilerServices
{
    /// <summary>Numerically stable pieces of the losses that generated code calls.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class StableMath
    {
        /// <summary>softplus(x) = ln(1 + e^x), without overflow for large x or loss of digits for small.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static double Softplus(double x) => Math.Max(x, 0.0) + Log1PExp(-Math.Abs(x));

        /// <summary>softplus(x) = ln(1 + e^x), without overflow for large x or loss of digits for small.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static float Softplus(float x) => (float)Softplus((double)x);

        // ln(1 + e^y) for y ≤ 0. .NET has no log1p; Goldberg's form (w = 1 + u; ln(w) · u / (w − 1))
        // cancels the rounding of 1 + u, so the result keeps full precision even for tiny u. FastMath's e^x and ln x,
        // not the C library's, so a loss is the same bits on every operating system.
        [MethodImpl(CompileOptions.Optimized)]
        private static double Log1PExp(double y)
        {
            double u = FastMath.Exp(y);
            double w = 1.0 + u;
            return w == 1.0 ? u : FastMath.Log(w) * u / (w - 1.0);
        }
    }
}

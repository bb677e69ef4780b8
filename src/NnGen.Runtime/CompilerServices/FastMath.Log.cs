using System;
using System.Runtime.CompilerServices;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// ln x as NnGen's own arithmetic, for the losses: Math.Log and MathF.Log are the C library's, which differ in the
    /// last bit between operating systems, so a loss (and the early stopping and metrics that read it) did too.
    /// </summary>
    public static partial class FastMath
    {
        /// <summary>
        /// ln x in double, within 0.87 ulp of the exact value (0.864 at worst over 300,000 arguments against 120-bit
        /// values; glibc's log 0.516); −∞ for ±0, NaN below 0 and for NaN, +∞ for +∞. The generated losses and
        /// StableMath.Softplus call it in place of Math.Log.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static double Log(double x) => PortableMath.Log(x);

        /// <summary>
        /// ln x in float: <see cref="Log(double)"/> rounded to float, so the same bits on every operating system (MathF.Log
        /// is the C library's). The generated float losses call it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static float Log(float x) => (float)PortableMath.Log(x);
    }
}

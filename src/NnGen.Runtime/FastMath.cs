using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// Fast float activations for unrolled code, where a call to MathF.Tanh (about 8 ns) costs more
    /// than the multiply-adds of a small layer around it.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class FastMath
    {
        // The clamped 13/6 rational minimax approximation of tanh used by Eigen (generic_fast_tanh_float).
        // Beyond ±7.905 tanh rounds to ±1 in float.
        private const float Clamp = 7.90531110763549805f;
        private const float A1 = 4.89352455891786e-03f;
        private const float A3 = 6.37261928875436e-04f;
        private const float A5 = 1.48572235717979e-05f;
        private const float A7 = 5.12229709037114e-08f;
        private const float A9 = -8.60467152213735e-11f;
        private const float A11 = 2.00018790482477e-13f;
        private const float A13 = -2.76076847742355e-16f;
        private const float B0 = 4.89352518554385e-03f;
        private const float B2 = 2.26843463243900e-03f;
        private const float B4 = 1.18534705686654e-04f;
        private const float B6 = 1.19825839466702e-06f;

        /// <summary>
        /// tanh x, within 4e-7 (absolute and relative, about 3 ulp) of the exact value over the whole
        /// float range; NaN stays NaN. About a dozen multiply-adds and one division: no call, no branch
        /// but the clamp.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Tanh(float x)
        {
            // Comparisons are false for NaN, so NaN passes through unclamped and comes out NaN.
            x = x > Clamp ? Clamp : x < -Clamp ? -Clamp : x;
            float x2 = x * x;
            float p = (x2 * A13) + A11;
            p = (x2 * p) + A9;
            p = (x2 * p) + A7;
            p = (x2 * p) + A5;
            p = (x2 * p) + A3;
            p = (x2 * p) + A1;
            p *= x;
            float q = (x2 * B6) + B4;
            q = (x2 * q) + B2;
            q = (x2 * q) + B0;
            return p / q;
        }
    }
}

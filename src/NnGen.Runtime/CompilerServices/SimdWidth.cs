#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// One vector width as a type argument, so that <see cref="MatrixKernels"/> writes each micro-kernel once
    /// and the JIT compiles it for Vector512, Vector256 or Vector128: a generic method over a struct is
    /// specialised per type, and these static members inline to single instructions.
    /// </summary>
    internal interface ISimdWidth<T, TVector>
        where T : unmanaged
        where TVector : struct
    {
        static abstract int Count { get; }

        static abstract TVector Zero { get; }

        static abstract TVector Load(ref T source);

        static abstract void Store(TVector value, ref T destination);

        static abstract TVector Broadcast(T value);

        /// <summary>a · b + c, fused where the hardware has it (one rounding, as a scalar loop would not have).</summary>
        static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

        static abstract T Sum(TVector value);
    }

    internal readonly struct Simd512<T> : ISimdWidth<T, Vector512<T>>
        where T : unmanaged
    {
        public static int Count => Vector512<T>.Count;

        public static Vector512<T> Zero => Vector512<T>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Load(ref T source) => Vector512.LoadUnsafe(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<T> value, ref T destination) => value.StoreUnsafe(ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        {
            if (Avx512F.IsSupported)
            {
                if (typeof(T) == typeof(float))
                {
                    return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
                }

                if (typeof(T) == typeof(double))
                {
                    return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
                }
            }

            return (a * b) + c;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Sum(Vector512<T> value) => Vector512.Sum(value);
    }

    internal readonly struct Simd256<T> : ISimdWidth<T, Vector256<T>>
        where T : unmanaged
    {
        public static int Count => Vector256<T>.Count;

        public static Vector256<T> Zero => Vector256<T>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Load(ref T source) => Vector256.LoadUnsafe(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<T> value, ref T destination) => value.StoreUnsafe(ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        {
            if (Fma.IsSupported)
            {
                if (typeof(T) == typeof(float))
                {
                    return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
                }

                if (typeof(T) == typeof(double))
                {
                    return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
                }
            }

            return (a * b) + c;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Sum(Vector256<T> value) => Vector256.Sum(value);
    }

    internal readonly struct Simd128<T> : ISimdWidth<T, Vector128<T>>
        where T : unmanaged
    {
        public static int Count => Vector128<T>.Count;

        public static Vector128<T> Zero => Vector128<T>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> Load(ref T source) => Vector128.LoadUnsafe(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<T> value, ref T destination) => value.StoreUnsafe(ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
        {
            if (typeof(T) == typeof(float))
            {
                if (Fma.IsSupported)
                {
                    return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
                }

                if (AdvSimd.IsSupported)
                {
                    return AdvSimd.FusedMultiplyAdd(c.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>();
                }
            }

            if (typeof(T) == typeof(double))
            {
                if (Fma.IsSupported)
                {
                    return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
                }

                if (AdvSimd.Arm64.IsSupported)
                {
                    return AdvSimd.Arm64.FusedMultiplyAdd(c.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();
                }
            }

            return (a * b) + c;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Sum(Vector128<T> value) => Vector128.Sum(value);
    }
}
#endif

// Types that share their names with what generated code uses, in the networks' namespace: generated code
// must reach the real ones through global::.
NAMESPACE_OPEN
    internal static class Kernels { }

    internal static class Math { }

    internal static class MathF { }

    internal sealed class Span<T> { }

    internal static class FastMath { }

    internal static class SpanGuard { }

    internal static class NnGen { }
NAMESPACE_CLOSE

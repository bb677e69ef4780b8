// Runs every network of Networks.cs and checks it: the float network's gradient against its double twin's,
// and the double twin's against central finite differences of its own Loss. Under SkipLocalsInit, a
// generated method that read stack memory it had not written would fail here. Names that a consumer may
// shadow (Math, Span, ...) are written with global::.
NAMESPACE_OPEN
    internal static class Program
    {
        private static ulong state = 0x9E3779B97F4A7C15UL;

        private static int Main()
        {
            int failures = Check(new SmallNet(), new SmallNetDouble()) + Check(new WideNet(), new WideNetDouble()) + Check(new MixedNet(), new MixedNetDouble())
                + Check(new PanelNet(), new PanelNetDouble());
#if NNGEN_SOFTMAX_BINARY
            failures += Check(new SoftmaxBinaryNet(), new SoftmaxBinaryNetDouble()) + Check(new SoftmaxBinarySpansNet(), new SoftmaxBinarySpansNetDouble());
#endif
#if NNGEN_DEEP
            failures += Check(new DeepNet(), new DeepNetDouble());
#endif
            failures += CheckValues();
#if NNGEN_DEEP_LANES
            failures += CheckDeepSnapshots();
#endif
            // The number of failed checks; printed without a literal, which AnalysisLevel latest-all would flag (CA1303).
            global::System.Console.WriteLine(failures.ToString(global::System.Globalization.CultureInfo.InvariantCulture));
            return failures;
        }

        private static int Check(global::NnGen.INetwork<float> single, global::NnGen.INetwork<double> twin)
        {
            single.InitializeParameters(3);
            for (int i = 0; i < single.ParameterCount; i++)
            {
                twin.Parameters[i] = single.Parameters[i];
            }

            double[] x = new double[twin.InputCount];
            double[] t = new double[twin.OutputCount];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = Next() - 0.5;
            }

            t[(int)(Next() * t.Length) % t.Length] = 1;
            float[] xf = new float[x.Length];
            float[] tf = new float[t.Length];
            for (int i = 0; i < x.Length; i++)
            {
                xf[i] = (float)x[i];
            }

            for (int i = 0; i < t.Length; i++)
            {
                tf[i] = (float)t[i];
            }

            // A dirty stack below this frame, so that unwritten stack memory cannot pass for zeros.
            Dirty();
            single.Accumulate(xf, tf);
            Dirty();
            twin.Accumulate(x, t);

            int failures = 0;
            for (int i = 0; i < twin.ParameterCount; i++)
            {
                double saved = twin.Parameters[i];
                twin.Parameters[i] = saved + 1e-6;
                double plus = twin.Loss(x, t);
                twin.Parameters[i] = saved - 1e-6;
                double minus = twin.Loss(x, t);
                twin.Parameters[i] = saved;
                double numeric = (plus - minus) / 2e-6;
                double analytic = twin.Gradients[i];
                if (global::System.Math.Abs(numeric - analytic) > 1e-5 * global::System.Math.Max(1, global::System.Math.Abs(numeric))
                    || global::System.Math.Abs(single.Gradients[i] - analytic) > 1e-3 * global::System.Math.Max(1, global::System.Math.Abs(analytic)))
                {
                    failures++;
                }
            }

            float[] output = new float[single.OutputCount];
            single.Forward(xf, output);
            float[] outputs = new float[2 * single.OutputCount];
            single.ForwardBatch(new float[2 * single.InputCount], outputs);
            single.Step(0.1f);
            return failures;
        }

        // Each InferenceValue (lanes: SmallNet; panels: PanelNet, PanelValueDouble; wrapping their snapshot on the
        // netstandard2.1 runtime, which the Godot 4.3 consumer builds against) gives its snapshot's bits, on a dirty stack.
        private static int CheckValues()
        {
            var small = new SmallNet();
            var panel = new PanelNet();
            var panelDouble = new PanelValueDouble();
            small.InitializeParameters(5);
            panel.InitializeParameters(6);
            panelDouble.InitializeParameters(7);
            SmallNet.InferenceValue smallValue = small.ToInferenceValue();
            PanelNet.InferenceValue panelValue = panel.ToInferenceValue();
            PanelValueDouble.InferenceValue panelDoubleValue = panelDouble.ToInferenceValue();
            int failures = 0;
            for (int trial = 0; trial < 50; trial++)
            {
                float[] x = new float[6];
                double[] xd = new double[6];
                for (int i = 0; i < x.Length; i++)
                {
                    xd[i] = (Next() - 0.5) * 6;
                    x[i] = (float)xd[i];
                }

                float[] expected = new float[5];
                float[] actual = new float[5];
                panel.ToInference().Forward(x, expected);
                Dirty();
                panelValue.Forward(x, actual);
                failures += global::System.MemoryExtensions.SequenceEqual<float>(expected, actual) ? 0 : 1;

                double[] expectedDouble = new double[5];
                double[] actualDouble = new double[5];
                panelDouble.ToInference().Forward(xd, expectedDouble);
                Dirty();
                panelDoubleValue.Forward(xd, actualDouble);
                failures += global::System.MemoryExtensions.SequenceEqual<double>(expectedDouble, actualDouble) ? 0 : 1;

                float[] expectedSmall = new float[3];
                float[] actualSmall = new float[3];
                small.ToInference().Forward(global::System.MemoryExtensions.AsSpan(x, 0, 3), expectedSmall);
                Dirty();
                smallValue.Forward(global::System.MemoryExtensions.AsSpan(x, 0, 3), actualSmall);
                failures += global::System.MemoryExtensions.SequenceEqual<float>(expectedSmall, actualSmall) ? 0 : 1;
            }

            return failures;
        }

#if NNGEN_DEEP_LANES
        // The snapshot of a network whose unrolled layers compute in lanes gives the network's own bits; DeepLanes' snapshot
        // is written in runs of layers (local functions that take a(l) in vectors, or in double as scalars).
        private static int CheckDeepSnapshots()
        {
            var deep = new DeepLanes();
            var deepDouble = new DeepLanesDouble();
            deep.InitializeParameters(8);
            deepDouble.InitializeParameters(9);
            DeepLanes.Inference snapshot = deep.ToInference();
            DeepLanesDouble.Inference snapshotDouble = deepDouble.ToInference();
            int failures = 0;
            for (int trial = 0; trial < 20; trial++)
            {
                double xd = (Next() - 0.5) * 6;
                float[] x = { (float)xd };
                float[] expected = new float[1];
                float[] actual = new float[1];
                deep.Forward(x, expected);
                Dirty();
                snapshot.Forward(x, actual);
                failures += global::System.MemoryExtensions.SequenceEqual<float>(expected, actual) ? 0 : 1;
                failures += deep.Loss(x, expected) == snapshot.Loss(x, expected) ? 0 : 1;

                double[] xs = { xd };
                double[] expectedDouble = new double[1];
                double[] actualDouble = new double[1];
                deepDouble.Forward(xs, expectedDouble);
                Dirty();
                snapshotDouble.Forward(xs, actualDouble);
                failures += global::System.MemoryExtensions.SequenceEqual<double>(expectedDouble, actualDouble) ? 0 : 1;
            }

            return failures;
        }
#endif

        private static void Dirty()
        {
            global::System.Span<double> garbage = stackalloc double[4096];
            garbage.Fill(1e6);
            global::System.GC.KeepAlive(garbage[4095]);
        }

        private static double Next()
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return (state >> 11) * (1.0 / (1UL << 53));
        }
    }
NAMESPACE_CLOSE

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using CodeGenLstm.Tests.Reference;

namespace CodeGenLstm.PortabilityCheck;

/// <summary>
/// Runs each model of <see cref="Catalogue"/> forward (training and inference) and backward on fixed inputs with
/// variable lengths, twice: on the vector kernels this machine selects and on the scalar kernels of the same
/// model (UseScalarKernels). It compares the two, and both with a double-precision reference (outputs and final
/// states directly; gradients through central finite differences of the reference), with the tolerances of the
/// x64 numerical tests. It checks which kernels ran: Vector128 with AdvSimd on ARM64, or the path given by
/// --expect. Exit code 0: everything agreed; 1: a mismatch; 2: bad arguments.
/// </summary>
internal static class Program
{
    // The tolerances of tests/CodeGenLstm.Tests/Numerics: NumericalCheck (against the double reference) and
    // VectorPathTests (vector kernels against scalar kernels). See there for their derivation.
    private const double ForwardTolerance = 2e-6;
    private const double GradientRelative = 1e-4;
    private const double GradientFloor = 1e-5;
    private const double VectorOutputRelative = 1e-5;
    private const double VectorGradientRelative = 1e-4;

    private static readonly string[] Paths = ["Vector512", "Vector256", "Vector128", "Scalar"];
    private static readonly string[] Int8Paths = ["AvxVnni", "Avx512BW", "Avx2", "Dp", "AdvSimd", "Scalar"];

    private static readonly List<string> s_failures = [];
    private static int s_comparisons;

    private static int Main(string[] args)
    {
        string? expect = null, expectInt8 = null;
        bool perturb = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--expect" when i + 1 < args.Length && Paths.Contains(args[i + 1]):
                    expect = args[++i];
                    break;
                case "--expect-int8" when i + 1 < args.Length && Int8Paths.Contains(args[i + 1]):
                    expectInt8 = args[++i];
                    break;
                case "--perturb":
                    perturb = true;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'.");
                    Console.Error.WriteLine("Usage: CodeGenLstm.PortabilityCheck [--expect Vector512|Vector256|Vector128|Scalar] [--expect-int8 PATH] [--perturb]");
                    Console.Error.WriteLine("  --expect   the kernel path that must run (default: Vector128 on ARM64, else whatever Simd.ActivePath says)");
                    Console.Error.WriteLine("  --expect-int8  the int8 dot products that must run: " + string.Join("|", Int8Paths) + " (default: Dp or AdvSimd on ARM64 as Dp.IsSupported says, else what the machine selects)");
                    Console.Error.WriteLine("  --perturb  add 0.05 to one weight of each vector-kernel model and 2e-6 to the vector activations: the check must then fail");
                    return 2;
            }
        }

        try
        {
            expect = CheckMachine(expect);
            CheckActivations(perturb);
            CheckReducedKernels(expectInt8 ?? ReducedPrecisionCheck.ExpectedInt8Path(expect));
            ulong digest = 14695981039346656037UL;
            foreach (CheckCase c in Catalogue.All())
                digest = RunCase(c, expect, perturb, digest);
            Console.WriteLine($"weights digest (seed {Catalogue.ModelSeed}, all models): {digest:x16}");
        }
        catch (Exception e)
        {
            Fail($"unexpected {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }

        Console.WriteLine();
        if (s_failures.Count == 0)
        {
            Console.WriteLine($"PASS: {Catalogue.All().Count} models, {s_comparisons} comparisons, kernels {expect}.");
            return 0;
        }
        Console.WriteLine($"FAIL: {s_failures.Count} mismatches in {s_comparisons} comparisons:");
        foreach (string failure in s_failures) Console.WriteLine("  " + failure);
        return 1;
    }

    /// <summary>Prints what this machine offers and settles the path the kernels must run.</summary>
    private static string CheckMachine(string? expect)
    {
        Architecture arch = RuntimeInformation.ProcessArchitecture;
        Console.WriteLine("CodeGenLstm portability check");
        Console.WriteLine($"  process architecture: {arch}, OS: {RuntimeInformation.OSDescription}, runtime: {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"  AdvSimd.IsSupported: {AdvSimd.IsSupported}, AdvSimd.Arm64: {AdvSimd.Arm64.IsSupported}, Sse2: {Sse2.IsSupported}, Avx2: {Avx2.IsSupported}, Fma: {Fma.IsSupported}, Avx512F: {Avx512F.IsSupported}");
        Console.WriteLine($"  IsHardwareAccelerated: Vector128 {Vector128.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, Vector512 {Vector512.IsHardwareAccelerated}");
        Console.WriteLine($"  Simd.ActivePath: {Simd.ActivePath}");
        string[] knobs = ["DOTNET_EnableHWIntrinsic", "DOTNET_EnableAVX512F", "DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableAVX", "DOTNET_PreferredVectorBitWidth"];
        string set = string.Join(", ", knobs.Where(k => Environment.GetEnvironmentVariable(k) is not null).Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}"));
        Console.WriteLine($"  environment: {(set.Length == 0 ? "no DOTNET_ vector settings" : set)}");

        string reason = "--expect";
        if (expect is null)
        {
            (expect, reason) = arch == Architecture.Arm64
                ? ("Vector128", "ARM64: NEON is Vector128")
                : (Simd.ActivePath, "no --expect: the path Simd.ActivePath names");
        }
        Console.WriteLine($"  expected kernels: {expect} ({reason})");

        Expect(Simd.ActivePath == expect, $"Simd.ActivePath is {Simd.ActivePath}, expected {expect}");
        if (arch == Architecture.Arm64 && expect == "Vector128")
            Expect(AdvSimd.IsSupported && AdvSimd.Arm64.IsSupported, "ARM64 without AdvSimd (NEON): the Vector128 kernels would not be NEON");
        if (arch is Architecture.X64 or Architecture.X86)
        {
            Expect(expect != "Vector512" || Avx512F.IsSupported, "Vector512 expected but Avx512F is not supported");
            Expect(expect != "Vector256" || Avx2.IsSupported, "Vector256 expected but Avx2 is not supported");
            Expect(expect != "Vector128" || Sse2.IsSupported, "Vector128 expected but Sse2 is not supported");
            // Where the hardware has vectors, the vector kernels must use them (DOTNET_EnableHWIntrinsic=0 turns Sse2 off too).
            Expect(expect != "Scalar" || !Sse2.IsSupported, "the scalar path runs although Sse2 is supported");
        }
        Console.WriteLine();
        return expect;
    }

    /// <summary>Vector sigmoid and tanh at each accelerated width against their scalar forms (see <see cref="ActivationCheck"/>).</summary>
    private static void CheckActivations(bool perturb)
    {
        float[] x = ActivationCheck.Points();
        int[] widths = [.. new[] { (128, Vector128.IsHardwareAccelerated), (256, Vector256.IsHardwareAccelerated), (512, Vector512.IsHardwareAccelerated) }
                           .Where(w => w.Item2).Select(w => w.Item1)];
        if (perturb)
            Console.WriteLine("--perturb: 2e-6 added to every vector activation");
        if (widths.Length == 0)
            Console.WriteLine("activations: no vector width is accelerated; the kernels run the scalar forms only");
        foreach (int width in widths)
        {
            var (sigmoid, tanh, bad) = ActivationCheck.WorstRatio(width, x, perturb ? 2e-6f : 0f);
            s_comparisons++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"activations, Vector{width} against the scalar forms at {x.Length} points, worst |difference| / {ActivationCheck.Tolerance:0e0}: sigmoid {sigmoid * 100:0.#}%, tanh {tanh * 100:0.#}%"));
            if (bad >= 0)
                Fail(string.Create(CultureInfo.InvariantCulture,
                    $"Activations at Vector{width}: x = {x[bad]:R}: scalar sigmoid {Activations.Sigmoid(x[bad]):R}, tanh {Activations.Tanh(x[bad]):R}; differences above {ActivationCheck.Tolerance:0e0} (worst ratios {sigmoid:0.##}, {tanh:0.##})"));
        }
        Console.WriteLine();
    }

    /// <summary>The int8 and bfloat16 recurrent kernels (see <see cref="ReducedPrecisionCheck"/>), and which int8 path runs.</summary>
    private static void CheckReducedKernels(string expected)
    {
        string int8 = Generated.ReducedRecurrentWeights.Int8Path(Simd.ActiveWidth);
        Console.WriteLine($"  int8 path at the active width: {int8} (Dp.IsSupported: {Dp.IsSupported}, Avx512BW: {Avx512BW.IsSupported}, AvxVnni: {AvxVnni.IsSupported}); expected {expected}");
        Expect(int8 == expected, $"the int8 path is {int8}, expected {expected}");
        foreach (string line in ReducedPrecisionCheck.CheckKernels(Fail, () => s_comparisons++)) Console.WriteLine(line);
        Console.WriteLine();
    }

    /// <summary>Inference in Int8 and BFloat16 against the model's float32 inference and against the scalar twin in the same precision.</summary>
    private static void CheckReducedModel(CheckCase c, float[] x, int[] tokens, int outputLength, bool perturb)
    {
        float[] Infer(InferencePrecision precision, bool scalarKernels)
        {
            ISequenceModel model = c.Create();
            model.UseScalarKernels = scalarKernels;
            if (perturb && !scalarKernels) model.Parameters[model.ParameterCount / 2] += 0.05f;
            model.InferencePrecision = precision;
            float[] y = new float[outputLength];
            Forward(model, c, x, tokens, y, training: false);
            return y;
        }
        float[] float32 = Infer(InferencePrecision.Float32, false);
        var worst = new List<Worst>();
        foreach ((InferencePrecision precision, double bound) in new[] { (InferencePrecision.Int8, ReducedPrecisionCheck.Int8ModelBound), (InferencePrecision.BFloat16, ReducedPrecisionCheck.BFloat16ModelBound) })
        {
            float[] vector = Infer(precision, false), scalar = Infer(precision, true);
            worst.Add(Compare(c.Name, $"{precision} vs float32", float32.Length, vector.Length, i => (vector[i], float32[i], bound), "float32"));
            worst.Add(Compare(c.Name, $"{precision} vs scalar twin", scalar.Length, vector.Length, i => (vector[i], scalar[i], ReducedPrecisionCheck.TwinBound), "scalar"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  reduced-precision inference (bounds int8 {ReducedPrecisionCheck.Int8ModelBound:0e0}, bfloat16 {ReducedPrecisionCheck.BFloat16ModelBound:0e0}, twin {ReducedPrecisionCheck.TwinBound:0e0}), worst |difference| / bound: {string.Join(", ", worst)}"));
    }

    private static ulong RunCase(CheckCase c, string expect, bool perturb, ulong digest)
    {
        ISequenceModel vector = c.Create(), scalar = c.Create();
        scalar.UseScalarKernels = true;
        ReferenceModel reference = c.Reference;
        string lengths = string.Join(",", c.Lengths);
        Console.WriteLine($"{c.Name}: {c.Description}; {vector.ParameterCount} parameters; batch {c.Batch}, steps {c.Steps}, lengths [{lengths}]");

        // The reference's layout is the model's: same tensors, same shapes, same order, same values.
        Expect(vector.ParameterCount == reference.ParameterCount && vector.InputSize == reference.InputSize
               && vector.OutputSize == reference.OutputSize && vector.OutputPerSequence == reference.LastStep
               && vector.StateSize == reference.StateSize && vector.CellStateSize == reference.CellStateSize,
               $"{c.Name}: sizes differ from the reference's");
        IReadOnlyList<NamedTensor> named = vector.ExportParameters();
        Expect(named.Count == reference.Tensors.Count && named.Zip(reference.Tensors).All(
                   p => p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape)
                        && p.First.Data.AsSpan().SequenceEqual(vector.Parameters.Slice(p.Second.Offset, p.Second.Length))),
               $"{c.Name}: ExportParameters does not match the reference's tensor layout");
        Expect(vector.Parameters.SequenceEqual(scalar.Parameters), $"{c.Name}: the same seed gave different weights");
        foreach (float weight in scalar.Parameters)
            digest = (digest ^ BitConverter.SingleToUInt32Bits(weight)) * 1099511628211UL;

        if (perturb)
        {
            int at = vector.ParameterCount / 2;
            vector.Parameters[at] += 0.05f;
            Console.WriteLine($"  --perturb: weight {at} of the vector-kernel model changed by 0.05");
        }

        // Fixed inputs: System.Random with a seed is the same sequence on every platform.
        var random = new Random(1000 + c.Name.Length * 17 + c.Batch);
        bool tokensIn = vector is ITokenSequenceModel;
        float[] x = tokensIn ? [] : RandomFloats(random, c.Batch * c.Steps * vector.InputSize);
        int[] tokens = tokensIn ? Enumerable.Range(0, c.Batch * c.Steps).Select(_ => random.Next(((ITokenSequenceModel)vector).VocabularySize)).ToArray() : [];
        int outputLength = vector.OutputPerSequence ? c.Batch * vector.OutputSize : c.Batch * c.Steps * vector.OutputSize;
        float[] r = RandomFloats(random, outputLength);   // dL/d(output) for the loss L = sum(output * r)

        RunResult v = Run(vector, c, x, tokens, r);
        RunResult s = Run(scalar, c, x, tokens, r);

        Console.WriteLine($"  KernelPath: vector model {v.Paths}; scalar twin {s.Paths}");
        Expect(v.Paths == $"{expect}/{expect}/{expect}", $"{c.Name}: the vector model ran {v.Paths} (forward/backward/inference), expected {expect}");
        Expect(s.Paths == "Scalar/Scalar/Scalar", $"{c.Name}: the scalar twin ran {s.Paths}");

        // Vector kernels against scalar kernels.
        var worst = new List<Worst>();
        worst.Add(Near(c.Name, "output", s.Output, v.Output, VectorOutputRelative));
        worst.Add(Near(c.Name, "inference output", s.InferenceOutput, v.InferenceOutput, VectorOutputRelative));
        worst.Add(Near(c.Name, "h_n", s.H, v.H, VectorOutputRelative));
        if (c.Reference.CellStateSize > 0) worst.Add(Near(c.Name, "c_n", s.C, v.C, VectorOutputRelative));
        worst.Add(Near(c.Name, "gradients", s.Gradients, v.Gradients, VectorGradientRelative));
        if (!tokensIn) worst.Add(Near(c.Name, "input gradient", s.InputGradient, v.InputGradient, VectorGradientRelative));
        worst.Add(Near(c.Name, "step gradient norms", s.Norms, v.Norms, VectorGradientRelative));
        Console.WriteLine($"  vector vs scalar kernels, worst |difference| / tolerance: {string.Join(", ", worst)}");
        CheckReducedModel(c, x, tokens, outputLength, perturb);

        // Both against the double-precision reference, on the unperturbed weights.
        double[] p = scalar.Parameters.ToArray().Select(f => (double)f).ToArray();
        double[] xd = x.Select(f => (double)f).ToArray();
        RefResult expected = reference.Forward(p, tokensIn ? null : xd, tokensIn ? tokens : null, c.Batch, c.Steps, c.Lengths);
        worst.Clear();
        foreach ((string kernels, RunResult run) in new[] { ("vector", v), ("scalar", s) })
        {
            worst.Add(Close(c.Name, $"{kernels} output", run.Output, expected.Output));
            worst.Add(Close(c.Name, $"{kernels} inference output", run.InferenceOutput, expected.Output));
            worst.Add(Close(c.Name, $"{kernels} h_n", run.H, expected.FinalH));
            if (c.Reference.CellStateSize > 0) worst.Add(Close(c.Name, $"{kernels} c_n", run.C, expected.FinalC));
        }
        Console.WriteLine($"  forward vs double reference (tolerance {ForwardTolerance:0e0}), worst |difference| / tolerance: {string.Join(", ", worst)}");

        // Gradients against central finite differences of the reference's loss.
        double Loss(double[] q, double[]? xIn)
        {
            double[] y = reference.Forward(q, xIn, tokensIn ? tokens : null, c.Batch, c.Steps, c.Lengths).Output;
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += y[i] * r[i];
            return sum;
        }
        worst.Clear();
        int sampled = 0;
        foreach (RefTensor tensor in reference.Tensors)
        {
            int[] indices = Sample(tensor.Length, 12).Select(i => tensor.Offset + i).ToArray();
            sampled += indices.Length;
            double[] numeric = FiniteDifference.Gradient(q => Loss(q, tokensIn ? null : xd), p, indices);
            worst.Add(Gradient(c.Name, $"vector d/d {tensor.Name}", indices.Select(i => v.Gradients[i]).ToArray(), numeric));
            worst.Add(Gradient(c.Name, $"scalar d/d {tensor.Name}", indices.Select(i => s.Gradients[i]).ToArray(), numeric));
        }
        int inputsSampled = 0;
        if (!tokensIn)
        {
            int[] indices = Sample(xd.Length, 64);
            inputsSampled = indices.Length;
            double[] numeric = FiniteDifference.Gradient(xIn => Loss(p, xIn), xd, indices);
            worst.Add(Gradient(c.Name, "vector input gradient", indices.Select(i => v.InputGradient[i]).ToArray(), numeric));
            worst.Add(Gradient(c.Name, "scalar input gradient", indices.Select(i => s.InputGradient[i]).ToArray(), numeric));
        }
        Worst worstGradient = worst.MaxBy(w => w.Ratio)!;
        Console.WriteLine($"  gradients vs finite differences of the reference ({sampled} of {p.Length} parameters in {reference.Tensors.Count} tensors"
                          + (tokensIn ? "" : $", {inputsSampled} of {xd.Length} inputs") + $"), worst: {worstGradient}");
        return digest;
    }

    private sealed record RunResult(float[] Output, float[] InferenceOutput, float[] H, float[] C, float[] Gradients,
                                    float[] InputGradient, float[] Norms, string Paths);

    /// <summary>Training forward, final state, backward, then an inference forward of the same input.</summary>
    private static RunResult Run(ISequenceModel model, CheckCase c, float[] x, int[] tokens, float[] r)
    {
        int outputLength = r.Length;
        float[] y = new float[outputLength], yInference = new float[outputLength];
        float[] h = new float[c.Batch * model.StateSize], cell = new float[c.Batch * model.CellStateSize];
        float[] dx = new float[x.Length];
        model.ZeroGradients();
        Forward(model, c, x, tokens, y, training: true);
        string forwardPath = model.KernelPath;
        model.GetFinalState(h, cell);
        model.Backward(r, dx);
        string backwardPath = model.KernelPath;
        float[] norms = model.StepGradientNorms.ToArray();
        Forward(model, c, x, tokens, yInference, training: false);
        return new RunResult(y, yInference, h, cell, model.Gradients.ToArray(), dx, norms, $"{forwardPath}/{backwardPath}/{model.KernelPath}");
    }

    private static void Forward(ISequenceModel model, CheckCase c, float[] x, int[] tokens, float[] output, bool training)
    {
        if (model is ITokenSequenceModel tokenModel)
            tokenModel.Forward(tokens, c.Batch, c.Steps, output, c.Lengths, training);
        else
            ((IFloatSequenceModel)model).Forward(x, c.Batch, c.Steps, output, c.Lengths, training);
    }

    private static float[] RandomFloats(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    /// <summary>At most <paramref name="count"/> indices of 0..length-1, evenly spread, first and last included.</summary>
    private static int[] Sample(int length, int count) =>
        length <= count ? Enumerable.Range(0, length).ToArray()
                        : Enumerable.Range(0, count).Select(i => (int)((long)i * (length - 1) / (count - 1))).Distinct().ToArray();

    private static void Expect(bool condition, string failure)
    {
        s_comparisons++;
        if (!condition) Fail(failure);
    }

    private static void Fail(string failure)
    {
        s_failures.Add(failure);
        Console.WriteLine("  MISMATCH: " + failure);
    }

    /// <summary>VectorPathTests' rule: |s - v| &lt;= relative * (|s| + 0.1 * max|s|) + 1e-7.</summary>
    private static Worst Near(string model, string what, float[] expected, float[] actual, double relative)
    {
        double scale = expected.Select(e => (double)Math.Abs(e)).DefaultIfEmpty(0).Max();
        return Compare(model, what, expected.Length, actual.Length, i => (actual[i], expected[i], relative * (Math.Abs(expected[i]) + 0.1 * scale) + 1e-7), "scalar");
    }

    /// <summary>NumericalCheck's forward rule: |actual - reference| &lt;= 2e-6.</summary>
    private static Worst Close(string model, string what, float[] actual, double[] expected) =>
        Compare(model, what, expected.Length, actual.Length, i => (actual[i], expected[i], ForwardTolerance), "reference");

    /// <summary>NumericalCheck's gradient rule: |actual - fd| &lt;= 1e-4 |fd| + 1e-5 max(max|fd|, 1e-3).</summary>
    private static Worst Gradient(string model, string what, float[] actual, double[] expected)
    {
        double largest = expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        return Compare(model, what, expected.Length, actual.Length,
                       i => (actual[i], expected[i], GradientRelative * Math.Abs(expected[i]) + GradientFloor * Math.Max(largest, 1e-3)), "finite differences");
    }

    /// <summary>The largest |difference| / allowed of one comparison (above 1: out of tolerance).</summary>
    private sealed record Worst(string What, double Ratio)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{What} {Ratio * 100:0.#}%");
    }

    private static Worst Compare(string model, string what, int expectedLength, int actualLength,
                                 Func<int, (double Actual, double Expected, double Allowed)> at, string source)
    {
        s_comparisons++;
        if (expectedLength != actualLength)
        {
            Fail($"{model}: {what} has {actualLength} values, expected {expectedLength}");
            return new Worst(what, double.PositiveInfinity);
        }
        double worst = 0;
        int failures = 0;
        string first = "";
        for (int i = 0; i < expectedLength; i++)
        {
            var (actual, expected, allowed) = at(i);
            double difference = Math.Abs(actual - expected);
            if (!(difference <= allowed))   // NaN fails too
            {
                if (failures++ == 0)
                    first = string.Create(CultureInfo.InvariantCulture, $"{what}[{i}] = {actual:R}, {source} {expected:R}, difference {difference:E2} > {allowed:E2}");
                worst = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(worst, difference / allowed);
            }
            else
            {
                worst = Math.Max(worst, difference / allowed);
            }
        }
        if (failures > 0)
            Fail($"{model}: {first} ({failures} of {expectedLength} values out of tolerance)");
        return new Worst(what, worst);
    }
}

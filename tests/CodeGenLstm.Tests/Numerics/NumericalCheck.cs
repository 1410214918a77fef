using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Tests.Reference;
using Xunit.Sdk;

namespace CodeGenLstm.Tests.Numerics;

/// <summary>
/// Runs a generated model and the double-precision reference on the same weights and inputs, and
/// compares outputs, final states, parameter and input gradients, and the gradient-flow profile.
/// The loss is L = sum(output * R) for a fixed random R, so dL/d(output) = R.
/// </summary>
internal sealed class NumericalCheck
{
    // Tolerances. A float32 forward pass of these sizes accumulates a few hundred roundings of relative
    // size 2^-24 = 6e-8 on values of order 1; measured on every vector path (512, 256, 128 bits, scalar),
    // the largest distance from the double result was 3.2e-7, so 2e-6 keeps a 6x margin for other
    // hardware (fused or separate multiply-adds, another exponential). Gradients sum more terms (over
    // every step and sequence) and pass through more nonlinearities: an element may differ by 1e-4 of its
    // size, plus 1e-5 of the tensor's largest entry for elements near zero, where relative error says
    // nothing. Measured, the worst element used 6% of that allowance (0.62% of the suggested 1e-3).
    // Finite differences in double with h = 1e-6 are exact to ~1e-9 here, far below both.
    public const double ForwardTolerance = 2e-6;
    public const double GradientRelative = 1e-4;
    public const double GradientFloor = 1e-5;

    public required ISequenceModel Model { get; init; }
    public required ReferenceModel Reference { get; init; }
    public required int Batch { get; init; }
    public required int Steps { get; init; }
    public int[]? Lengths { get; init; }
    public int Seed { get; init; } = 1;
    public long ModelSeed { get; init; }

    /// <summary>Which parameters to check by finite differences (all when null).</summary>
    public IReadOnlyList<int>? ParameterSample { get; init; }

    public void Run(bool checkInputGradient = true, bool checkStepNorms = true)
    {
        int batch = Batch, steps = Steps;
        bool tokensIn = Model is ITokenSequenceModel;
        var random = new Random(Seed);
        float[] input = tokensIn ? Array.Empty<float>() : RandomFloats(random, batch * steps * Model.InputSize, 1.0);
        int[] tokens = tokensIn ? Enumerable.Range(0, batch * steps).Select(_ => random.Next(((ITokenSequenceModel)Model).VocabularySize)).ToArray() : Array.Empty<int>();
        int outputLength = Model.OutputPerSequence ? batch * Model.OutputSize : batch * steps * Model.OutputSize;
        float[] r = RandomFloats(random, outputLength, 1.0);
        float[] output = new float[outputLength];
        float[] inputGradient = new float[input.Length];

        long call = 0;  // a fresh model: this is its first training call, which fixes the dropout masks
        Model.ZeroGradients();
        Forward(input, tokens, output, training: true);
        Model.Backward(r, inputGradient);

        double[] p = Reference.ParametersFrom(Model.Parameters);
        double[] x = ReferenceMath.ToDouble(input);
        Func<int, int, double[]>? masks = Reference.DropoutSites.Count > 0 ? Reference.RuntimeDropoutMasks(ModelSeed, call) : null;
        int[]? tokenArg = tokensIn ? tokens : null;
        double[]? inputArg = tokensIn ? null : x;

        RefResult expected = Reference.Forward(p, inputArg, tokenArg, batch, steps, Lengths, dropoutMask: masks);
        AssertClose("output", output, expected.Output, ForwardTolerance);
        if (Model.StateSize > 0)
        {
            float[] hN = new float[batch * Model.StateSize], cN = new float[batch * Model.CellStateSize];
            Model.GetFinalState(hN, cN);
            AssertClose("h_n", hN, expected.FinalH, ForwardTolerance);
            AssertClose("c_n", cN, expected.FinalC, ForwardTolerance);
        }

        double Loss(double[] q, double[]? xIn, double[]? delta = null)
        {
            double[] y = Reference.Forward(q, xIn, tokenArg, batch, steps, Lengths, dropoutMask: masks, topHiddenDelta: delta).Output;
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += y[i] * r[i];
            return sum;
        }

        // Parameter gradients, tensor by tensor so that a failure names the tensor.
        IReadOnlyList<int> indices = ParameterSample ?? Enumerable.Range(0, p.Length).ToArray();
        double[] numeric = FiniteDifference.Gradient(q => Loss(q, inputArg), p, indices);
        float[] analytic = indices.Select(i => Model.Gradients[i]).ToArray();
        foreach (RefTensor tensor in Reference.Tensors)
        {
            var inTensor = Enumerable.Range(0, indices.Count).Where(j => indices[j] >= tensor.Offset && indices[j] < tensor.Offset + tensor.Length).ToArray();
            if (inTensor.Length == 0) continue;
            AssertGradient(tensor.Name, inTensor.Select(j => analytic[j]).ToArray(), inTensor.Select(j => numeric[j]).ToArray());
        }

        if (checkInputGradient && !tokensIn)
        {
            double[] numericInput = FiniteDifference.Gradient(xIn => Loss(p, xIn), x);
            AssertGradient("input", inputGradient, numericInput);
        }

        if (checkStepNorms && Model.StateSize > 0)
        {
            // ||dL/dh_t|| of the top recurrent layer, by finite differences on a perturbation of h_t.
            int d = Reference.TopDirections, h = Reference.TopHiddenSize;
            double[] delta = new double[d * batch * steps * h];
            double[] dh = FiniteDifference.Gradient(q => Loss(p, inputArg, q), delta);
            double[] norms = new double[steps];
            for (int dir = 0; dir < d; dir++)
                for (int b = 0; b < batch; b++)
                    for (int t = 0; t < steps; t++)
                        for (int j = 0; j < h; j++)
                        {
                            double g = dh[((dir * batch + b) * steps + t) * h + j];
                            norms[t] += g * g;
                        }
            AssertGradient("StepGradientNorms", Model.StepGradientNorms.ToArray(), norms.Select(Math.Sqrt).ToArray());
        }
    }

    public void Forward(float[] input, int[] tokens, float[] output, bool training)
    {
        if (Model is ITokenSequenceModel tokenModel)
            tokenModel.Forward(tokens, Batch, Steps, output, Lengths, training);
        else
            ((IFloatSequenceModel)Model).Forward(input, Batch, Steps, output, Lengths, training);
    }

    public static float[] RandomFloats(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    public static void AssertClose(string what, ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, double tolerance)
    {
        if (actual.Length != expected.Length)
            throw new XunitException($"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < actual.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                throw new XunitException($"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R} (difference {Math.Abs(actual[i] - expected[i]):E2} > {tolerance:E1})");
        }
    }

    public static void AssertGradient(string what, ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length)
            throw new XunitException($"{what}: {actual.Length} values, expected {expected.Length}");
        double largest = 0;
        foreach (double e in expected) largest = Math.Max(largest, Math.Abs(e));
        for (int i = 0; i < actual.Length; i++)
        {
            double allowed = GradientRelative * Math.Abs(expected[i]) + GradientFloor * Math.Max(largest, 1e-3);
            if (!(Math.Abs(actual[i] - expected[i]) <= allowed))
                throw new XunitException($"gradient of {what}[{i}] = {actual[i]:R}, finite differences give {expected[i]:R} (difference {Math.Abs(actual[i] - expected[i]):E2} > {allowed:E2})");
        }
    }
}

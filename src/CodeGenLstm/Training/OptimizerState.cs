using System;
using System.Collections.Generic;

namespace CodeGenLstm;

/// <summary>
/// Checks and codecs shared by the optimizers: span lengths, hyper-parameter ranges, the step-count
/// encoding and the strict, all-or-nothing import of a state.
/// </summary>
internal static class OptimizerState
{
    /// <summary>2^24: every integer in [0, 2^24] is exact in a float.</summary>
    private const long Half = 1L << 24;

    /// <summary>The largest step count <see cref="EncodeStep"/> can store: 2^48 - 1.</summary>
    internal const long MaxStep = Half * Half - 1;

    internal static void CheckParameterCount(int parameterCount)
    {
        if (parameterCount < 0)
            throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "The parameter count must be at least 0.");
    }

    internal static void CheckLearningRate(float value, string paramName)
    {
        if (!float.IsFinite(value) || value < 0f)
            throw new ArgumentOutOfRangeException(paramName, value, "The learning rate must be finite and at least 0.");
    }

    internal static void CheckNonNegative(float value, string paramName)
    {
        if (!float.IsFinite(value) || value < 0f)
            throw new ArgumentOutOfRangeException(paramName, value, "The value must be finite and at least 0.");
    }

    /// <summary>A beta or alpha: a decay rate in [0, 1).</summary>
    internal static void CheckRate(float value, string paramName)
    {
        if (!(value >= 0f && value < 1f))
            throw new ArgumentOutOfRangeException(paramName, value, "The value must be in [0, 1).");
    }

    internal static void CheckSpans(int parameterCount, int parametersLength, int gradientsLength)
    {
        if (parametersLength != parameterCount)
            throw new ArgumentException(
                $"Expected {parameterCount} parameters (the optimizer's ParameterCount), got {parametersLength}.", "parameters");
        if (gradientsLength != parameterCount)
            throw new ArgumentException(
                $"Expected {parameterCount} gradients (the optimizer's ParameterCount), got {gradientsLength}.", "gradients");
    }

    internal static void CheckStepCount(long stepCount)
    {
        if (stepCount >= MaxStep)
            throw new InvalidOperationException($"The step count has reached {MaxStep}, the most a state export can store.");
    }

    /// <summary>
    /// The step count as a tensor of shape [2]: { floor(step / 2^24), step mod 2^24 }. Each half is an
    /// integer below 2^24, so it is exact in a float, and the pair holds every count below 2^48
    /// (a single float would silently round counts above 2^24, about 16.7 million steps, and Adam's
    /// bias correction would then resume from a different step).
    /// </summary>
    internal static NamedTensor EncodeStep(string name, long step) =>
        new(name, [2], [(float)(step / Half), (float)(step % Half)]);

    /// <summary>Reads a step tensor written by <see cref="EncodeStep"/>; ArgumentException naming it if malformed.</summary>
    internal static long DecodeStep(NamedTensor tensor)
    {
        CheckShape(tensor, 2);
        float high = tensor.Data[0], low = tensor.Data[1];
        if (!IsHalf(high) || !IsHalf(low))
            throw new ArgumentException(
                $"State tensor '{tensor.Name}' must hold two integers in [0, 2^24) (step = first * 2^24 + second), got [{high}, {low}].",
                "state");
        return (long)high * Half + (long)low;
    }

    private static bool IsHalf(float value) => value >= 0f && value < Half && value == MathF.Floor(value);

    /// <summary>A tensor of shape [length] holding a copy of <paramref name="values"/>.</summary>
    internal static NamedTensor Vector(string name, float[] values) => new(name, [values.Length], (float[])values.Clone());

    /// <summary>
    /// Reads <paramref name="state"/> into a dictionary and checks that it holds exactly the tensors in
    /// <paramref name="expected"/> (name and length; a length of -1 marks the step tensor), no more, no
    /// fewer, no duplicate. Throws ArgumentException naming the first offending tensor; the caller
    /// changes nothing until this returns.
    /// </summary>
    internal static Dictionary<string, NamedTensor> ReadStrict(IEnumerable<NamedTensor> state, string optimizerName,
                                                               ReadOnlySpan<(string Name, int Length)> expected)
    {
        ArgumentNullException.ThrowIfNull(state);
        var byName = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (NamedTensor? tensor in state)
        {
            if (tensor is null)
                throw new ArgumentException("The state contains a null tensor.", nameof(state));
            if (tensor.Name is null || tensor.Shape is null || tensor.Data is null)
                throw new ArgumentException($"State tensor '{tensor.Name}' has a null name, shape or data.", nameof(state));
            bool known = false;
            foreach ((string name, int _) in expected)
                known |= name == tensor.Name;
            if (!known)
                throw new ArgumentException(
                    $"State tensor '{tensor.Name}' is not part of this {optimizerName}'s state (expected {ExpectedNames(expected)}).",
                    nameof(state));
            if (!byName.TryAdd(tensor.Name, tensor))
                throw new ArgumentException($"State tensor '{tensor.Name}' appears more than once.", nameof(state));
        }
        foreach ((string name, int length) in expected)
        {
            if (!byName.TryGetValue(name, out NamedTensor? tensor))
                throw new ArgumentException(
                    $"State tensor '{name}' is missing (this {optimizerName} expects {ExpectedNames(expected)}).", nameof(state));
            if (length >= 0)
                CheckShape(tensor, length);
            else
                DecodeStep(tensor);
        }
        return byName;
    }

    private static void CheckShape(NamedTensor tensor, int length)
    {
        if (tensor.Shape.Length != 1 || tensor.Shape[0] != length || tensor.Data.Length != length)
            throw new ArgumentException(
                $"State tensor '{tensor.Name}' must have shape [{length}] and {length} values, got shape {ShapeText.Format<int>(tensor.Shape)} with {tensor.Data.Length} values.",
                "state");
    }

    private static string ExpectedNames(ReadOnlySpan<(string Name, int Length)> expected)
    {
        var names = new string[expected.Length];
        for (int i = 0; i < expected.Length; i++)
            names[i] = "'" + expected[i].Name + "'";
        return string.Join(", ", names);
    }
}

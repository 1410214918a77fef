using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The int8 copy of W_hh a one-layer, one-direction generated model built for InferencePrecision.Int8: the quantized
/// rows [gates * H, H] (PyTorch's gate order) and one symmetric scale per row. Read from the model itself (its
/// <see cref="ReducedRecurrentWeights"/>, by reflection: the copy is not public API), so that a peer fed these runs on
/// exactly the bytes ours multiplies, whatever rounding the runtime's quantizer uses.
/// </summary>
public sealed class OurInt8Weights
{
    private OurInt8Weights(sbyte[] weights, float[] scales, int columns)
    {
        Weights = weights;
        Scales = scales;
        Columns = columns;
    }

    /// <summary>[rows, columns], row-major, without the runtime's padding.</summary>
    public sbyte[] Weights { get; }

    /// <summary>[rows]: W_hh[r, k] ~ Scales[r] * Weights[r, k].</summary>
    public float[] Scales { get; }

    public int Rows => Scales.Length;

    public int Columns { get; }

    /// <summary>
    /// Reads the copy of <paramref name="model"/>, which must have run an inference call with InferencePrecision.Int8
    /// (the copy is built by the first such call). Throws when the model has not exactly one copy or it is empty.
    /// </summary>
    public static OurInt8Weights Of(IFloatSequenceModel model, int columns)
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var copies = new List<ReducedRecurrentWeights>();
        // The generated model keeps one buffer object per direction of each recurrent stage, each holding a ReducedHh
        // (and, in int8, a ReducedIh of W_ih, which the peer quantizes itself).
        foreach (FieldInfo field in model.GetType().GetFields(Instance))
        {
            if (field.GetValue(model) is not Array holders) continue;
            foreach (object? holder in holders)
            {
                if (holder is null) continue;
                copies.AddRange(holder.GetType().GetFields(Instance)
                    .Where(f => f.FieldType == typeof(ReducedRecurrentWeights) && f.Name == "ReducedHh")
                    .Select(f => (ReducedRecurrentWeights)f.GetValue(holder)!));
            }
        }
        if (copies.Count != 1) throw new InvalidOperationException($"{model.GetType().Name}: expected one int8 copy of W_hh, found {copies.Count}.");

        sbyte[] padded = Field<sbyte[]>(copies[0], "_int8");
        float[] scales = Field<float[]>(copies[0], "_scales");
        if (scales.Length == 0 || padded.Length % scales.Length != 0 || padded.Length / scales.Length < columns)
            throw new InvalidOperationException($"{model.GetType().Name}: its int8 copy of W_hh is not built ({padded.Length} bytes, {scales.Length} scales); run an Int8 inference first.");
        int stride = padded.Length / scales.Length;
        sbyte[] weights = new sbyte[scales.Length * columns];
        for (int r = 0; r < scales.Length; r++) Array.Copy(padded, r * stride, weights, r * columns, columns);
        return new OurInt8Weights(weights, (float[])scales.Clone(), columns);
    }

    private static T Field<T>(ReducedRecurrentWeights copy, string name) where T : class =>
        typeof(ReducedRecurrentWeights).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(copy) as T
        ?? throw new InvalidOperationException($"ReducedRecurrentWeights has no field {name} of type {typeof(T).Name} (the runtime changed: update {nameof(OurInt8Weights)}).");
}

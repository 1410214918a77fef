using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace CodeGenLstm.TorchParity.Tests.Torch;

/// <summary>Conversions between torch tensors and our flat float arrays and NamedTensors.</summary>
public static class Tensors
{
    /// <summary>
    /// The values as float, row-major (a float64 tensor is rounded to float; TorchSharp's accessor cannot copy out
    /// an empty tensor, hence the check).
    /// </summary>
    public static float[] Floats(Tensor t) =>
        t.numel() == 0 ? Array.Empty<float>() : t.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    public static Tensor From(float[] data, params long[] shape) => tensor(data).reshape(shape);

    public static Tensor FromTokens(int[] tokens, long batch, long steps) =>
        tensor(tokens.Select(t => (long)t).ToArray(), dtype: ScalarType.Int64).reshape(batch, steps);

    public static NamedTensor Named(string name, Tensor t) =>
        new(name, t.shape.Select(s => checked((int)s)).ToArray(), Floats(t));

    /// <summary>A state_dict (or any name -> tensor map) as NamedTensors, in its order.</summary>
    public static List<NamedTensor> Named(IEnumerable<KeyValuePair<string, Tensor>> tensors) =>
        tensors.Select(kv => Named(kv.Key, kv.Value)).ToList();

    /// <summary>True when both lists have the same names, shapes and bit patterns, in the same order.</summary>
    public static bool BitwiseEqual(IReadOnlyList<NamedTensor> a, IReadOnlyList<NamedTensor> b, out string difference)
    {
        difference = "";
        if (a.Count != b.Count)
        {
            difference = $"{a.Count} tensors against {b.Count}";
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Name != b[i].Name || !a[i].Shape.SequenceEqual(b[i].Shape))
            {
                difference = $"tensor {i}: {a[i].Name} [{string.Join(", ", a[i].Shape)}] against {b[i].Name} [{string.Join(", ", b[i].Shape)}]";
                return false;
            }

            for (int j = 0; j < a[i].Data.Length; j++)
            {
                if (BitConverter.SingleToInt32Bits(a[i].Data[j]) != BitConverter.SingleToInt32Bits(b[i].Data[j]))
                {
                    difference = $"{a[i].Name}[{j}]: {a[i].Data[j]:R} against {b[i].Data[j]:R}";
                    return false;
                }
            }
        }

        return true;
    }
}

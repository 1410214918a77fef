using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace CodeGenLstm.Tests.Fuzzing;

internal sealed partial class RuntimeFuzzer
{
    /// <summary>The arrays of a generated model that hold state a later call reads, compared whole (read by reflection,
    /// so that the comparison itself lends no Parameters span and changes nothing).</summary>
    private static readonly string[] s_stateArrays = { "_parameters", "_gradients", "_initialH", "_initialC", "_finalH", "_finalC", "_stepNorms" };

    private static readonly Dictionary<Type, FieldInfo[]> s_fields = new();

    /// <summary>
    /// Where the two sides differ, or null: the state arrays above, every scalar field of the model (shape of the
    /// last call, its mode, what Backward may do, training-call count that fixes dropout, carried batch, capacities,
    /// weight epochs, Stateful, ...), and the optimizer's exported state.
    /// </summary>
    private static string? Difference(Side subject, Side twin)
    {
        Type type = subject.Model.GetType();
        FieldInfo[] fields;
        lock (s_fields)
        {
            if (!s_fields.TryGetValue(type, out fields!))
            {
                fields = type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                    .Where(f => f.FieldType.IsPrimitive || f.FieldType.IsEnum || (f.FieldType == typeof(float[]) && s_stateArrays.Contains(f.Name)))
                    .ToArray();
                s_fields[type] = fields;
            }
        }
        foreach (FieldInfo field in fields)
        {
            object? a = field.GetValue(subject.Model), b = field.GetValue(twin.Model);
            bool same = a is float[] x && b is float[] y ? SameBits(x, y) : Equals(a, b);
            if (!same) return $"field {field.Name}";
        }
        IReadOnlyList<NamedTensor> stateA = subject.Optimizer.ExportState(), stateB = twin.Optimizer.ExportState();
        if (stateA.Count != stateB.Count) return "optimizer state tensors";
        for (int i = 0; i < stateA.Count; i++)
        {
            if (stateA[i].Name != stateB[i].Name || !SameBits(stateA[i].Data, stateB[i].Data)) return $"optimizer state {stateA[i].Name}";
        }
        return null;
    }
}

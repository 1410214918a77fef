using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CodeGenLstm.Tests.Fuzzing;

/// <summary>
/// Reads files damaged by <see cref="SafetensorsMutator"/>. Every file is rejected with InvalidDataException or
/// accepted; nothing else may be thrown. Reading allocates at most a small multiple of the file's size (a hostile
/// shape or offset must not make it allocate what the header claims). An accepted file's tensors hold as many
/// values as their shapes say and survive Write then Read bit for bit; when only the data bytes were changed the
/// file must be accepted, with the names and shapes of the valid file and every value decoded from the damaged
/// bytes (F32 bit for bit; F16 through System.Half and BF16 by a shift, NaN as NaN).
/// </summary>
internal sealed class SafetensorsFuzzer(FuzzTally tally, string directory)
{
    private const long AllocationSlack = 1 << 20;

    public void RunCase(int caseSeed)
    {
        var random = new Random(caseSeed);
        SafetensorsMutator.Draft draft = SafetensorsMutator.Valid(random);
        byte[] file = SafetensorsMutator.Mutate(random, draft);
        string what = draft.Mutations[0] + (draft.Mutations.Count > 1 ? " (+ more)" : "");  // outcomes counted by the first damage
        string all = string.Join(" + ", draft.Mutations);
        string path = Path.Combine(directory, "case.safetensors");
        File.WriteAllBytes(path, file);

        IReadOnlyList<NamedTensor> tensors;
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            tensors = Safetensors.Read(path);
        }
        catch (InvalidDataException)
        {
            CheckAllocation(before, file.Length, caseSeed, all);
            if (draft.HeaderIntact) tally.Finding($"case {caseSeed} ({all}): a file whose header is valid was rejected");
            else tally.Count($"rejected: {what}");
            return;
        }
        catch (Exception e)
        {
            tally.Finding($"case {caseSeed} ({all}): undocumented {e.GetType().Name}: {e.Message}");
            return;
        }
        CheckAllocation(before, file.Length, caseSeed, all);
        string? problem = CheckAccepted(tensors, draft);
        if (problem is not null) tally.Finding($"case {caseSeed} ({all}): accepted, but {problem}");
        else tally.Count($"accepted: {what}");
    }

    private void CheckAllocation(long before, int fileLength, int caseSeed, string what)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before, bound = 16L * fileLength + AllocationSlack;
        if (allocated > bound)
            tally.Finding($"case {caseSeed} ({what}): reading a {fileLength}-byte file allocated {allocated} bytes (bound {bound})");
    }

    private string? CheckAccepted(IReadOnlyList<NamedTensor> tensors, SafetensorsMutator.Draft draft)
    {
        foreach (NamedTensor tensor in tensors)
        {
            long count = tensor.Shape.Aggregate(1L, (a, b) => a * b);
            if (tensor.Shape.Any(d => d < 0) || count != tensor.Data.Length) return $"'{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}] and {tensor.Data.Length} values";
        }
        if (draft.HeaderIntact)
        {
            if (tensors.Count != draft.Entries.Count) return $"{tensors.Count} tensors, not {draft.Entries.Count}";
            for (int i = 0; i < tensors.Count; i++)
            {
                SafetensorsMutator.Entry entry = draft.Entries[i];
                if (tensors[i].Name != entry.Name || !tensors[i].Shape.SequenceEqual(entry.Shape)) return $"tensor {i} is '{tensors[i].Name}', not '{entry.Name}' of its shape";
                float[] expected = Decode(draft.Data.AsSpan((int)entry.Begin, (int)(entry.End - entry.Begin)), entry.DType);
                if (!SameValues(expected, tensors[i].Data)) return $"the values of '{entry.Name}' are not those of its bytes";
            }
        }

        string copy = Path.Combine(directory, "copy.safetensors");
        try
        {
            Safetensors.Write(copy, tensors);
        }
        catch (ArgumentException)
        {
            tally.Count("accepted, but not writable back (a name Write refuses)");
            return null;
        }
        IReadOnlyList<NamedTensor> again = Safetensors.Read(copy);
        if (again.Count != tensors.Count) return "Write then Read changed the number of tensors";
        foreach ((NamedTensor first, NamedTensor second) in tensors.Zip(again))
        {
            if (first.Name != second.Name || !first.Shape.SequenceEqual(second.Shape) || !RuntimeFuzzer.SameBits(first.Data, second.Data))
                return $"Write then Read changed '{first.Name}'";
        }
        return null;
    }

    /// <summary>Little-endian values of one dtype, decoded here from the format description.</summary>
    private static float[] Decode(ReadOnlySpan<byte> bytes, string dtype)
    {
        int size = dtype == "F32" ? 4 : 2;
        float[] values = new float[bytes.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            uint word = 0;
            for (int b = size - 1; b >= 0; b--) word = (word << 8) | bytes[(i * size) + b];
            values[i] = dtype switch
            {
                "F32" => BitConverter.UInt32BitsToSingle(word),
                "F16" => (float)BitConverter.UInt16BitsToHalf((ushort)word),
                _ => BitConverter.UInt32BitsToSingle(word << 16),
            };
        }
        return values;
    }

    private static bool SameValues(float[] expected, float[] actual) =>
        expected.Length == actual.Length &&
        expected.Zip(actual).All(p => float.IsNaN(p.First) ? float.IsNaN(p.Second) : BitConverter.SingleToInt32Bits(p.First) == BitConverter.SingleToInt32Bits(p.Second));
}

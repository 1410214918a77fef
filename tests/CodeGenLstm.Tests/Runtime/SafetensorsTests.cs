using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using static CodeGenLstm.Tests.Runtime.SafetensorsTestFiles;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>Round trips, the byte layout Write produces, reading hand-laid files, and atomic replacement.</summary>
public sealed class SafetensorsTests : IDisposable
{
    private readonly SafetensorsTempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static float[] Sequence(int count, float scale)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = ((i * 37 % 101) - 50) * scale;
        return values;
    }

    private static List<NamedTensor> SampleTensors() =>
    [
        new("lstm.weight_ih_l0", [8, 3], Sequence(24, 0.01f)),
        new("lstm.bias_ih_l0", [8], Sequence(8, -0.5f)),
        new("scalar", [], [3.5f]),
        new("empty", [0], []),
        new("empty_middle", [2, 0, 3], []),
        new("special", [2, 3], [float.NaN, -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue]),
        new("dense.weight", [1, 1, 1, 5], Sequence(5, 1e-30f)),
    ];

    private static void AssertSameTensors(IReadOnlyList<NamedTensor> expected, IReadOnlyList<NamedTensor> actual)
    {
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            // Bit patterns, so NaN and -0 count.
            Assert.Equal(expected[i].Data.Select(BitConverter.SingleToInt32Bits), actual[i].Data.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void RoundTripKeepsNamesShapesValuesAndOrder()
    {
        List<NamedTensor> tensors = SampleTensors();
        string path = dir.File("model.safetensors");

        Safetensors.Write(path, tensors);
        IReadOnlyList<NamedTensor> read = Safetensors.Read(path);

        AssertSameTensors(tensors, read);
        Assert.Empty(read[2].Shape);
        Assert.Single(read[2].Data);
    }

    [Fact]
    public void RoundTripOfNoTensors()
    {
        string path = dir.File("empty.safetensors");
        Safetensors.Write(path, []);
        Assert.Empty(Safetensors.Read(path));
        Assert.Empty(Safetensors.ReadMetadata(path));
    }

    [Fact]
    public void FileOrderIsWriteOrderNotNameOrder()
    {
        NamedTensor[] tensors =
        [
            new("z", [1], [1f]),
            new("empty_b", [0], []),
            new("a", [2], [2f, 3f]),
            new("empty_a", [0, 7], []),
            new("m", [], [4f]),
            new("b", [1], [5f]),
        ];
        string path = dir.File("order.safetensors");
        Safetensors.Write(path, tensors);
        Assert.Equal(["z", "empty_b", "a", "empty_a", "m", "b"], Safetensors.Read(path).Select(t => t.Name));
    }

    [Fact]
    public void MetadataRoundTrips()
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["step"] = "1200",
            ["note"] = "ünïcödé ∑ \"quoted\" back\\slash\nnew line\ttab </script> +&'",
            ["empty"] = "",
            ["emoji"] = "\U0001F600",
        };
        string path = dir.File("meta.safetensors");

        Safetensors.Write(path, SampleTensors(), metadata);

        IReadOnlyDictionary<string, string> read = Safetensors.ReadMetadata(path);
        Assert.Equal(metadata.OrderBy(p => p.Key, StringComparer.Ordinal), read.OrderBy(p => p.Key, StringComparer.Ordinal));
        AssertSameTensors(SampleTensors(), Safetensors.Read(path));
    }

    [Fact]
    public void NoMetadataReadsAsEmpty()
    {
        string path = dir.File("nometa.safetensors");
        Safetensors.Write(path, SampleTensors());
        Assert.Empty(Safetensors.ReadMetadata(path));
        Safetensors.Write(path, SampleTensors(), new Dictionary<string, string>());
        Assert.Empty(Safetensors.ReadMetadata(path));
    }

    [Fact]
    public void WriteProducesTheFormatsLayout()
    {
        // Decoded here from the format description, not with Read.
        List<NamedTensor> tensors = SampleTensors();
        string path = dir.File("layout.safetensors");
        Safetensors.Write(path, tensors, new Dictionary<string, string> { ["k"] = "v" });
        byte[] file = File.ReadAllBytes(path);

        ulong n = 0;
        for (int i = 0; i < 8; i++)
            n |= (ulong)file[i] << (8 * i);
        Assert.Equal(0UL, n % 8);                      // padded as the reference writer pads
        byte[] header = file[8..(8 + (int)n)];
        Assert.Equal((byte)'{', header[0]);
        string text = Encoding.UTF8.GetString(header);
        Assert.True(text.Length - text.TrimEnd(' ').Length < 8);   // only the padding is spaces

        using JsonDocument json = JsonDocument.Parse(text);
        Assert.Equal("v", json.RootElement.GetProperty("__metadata__").GetProperty("k").GetString());
        int dataStart = 8 + (int)n;
        long expectedBegin = 0;
        foreach (NamedTensor tensor in tensors)
        {
            JsonElement entry = json.RootElement.GetProperty(tensor.Name);
            Assert.Equal("F32", entry.GetProperty("dtype").GetString());
            Assert.Equal(tensor.Shape, entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            long begin = entry.GetProperty("data_offsets")[0].GetInt64();
            long end = entry.GetProperty("data_offsets")[1].GetInt64();
            Assert.Equal(expectedBegin, begin);
            Assert.Equal(begin + (4L * tensor.Data.Length), end);
            Assert.Equal(F32Bytes(tensor.Data), file[(dataStart + (int)begin)..(dataStart + (int)end)]);
            expectedBegin = end;
        }
        Assert.Equal(dataStart + expectedBegin, file.Length);
    }

    public static TheoryData<string> ReferenceLayouts() => ["attn.0", "attn0", "metadata only", "nothing"];

    /// <summary>
    /// The bytes the reference implementation's serializer gives for these inputs (huggingface/safetensors,
    /// safetensors/src/tensor.rs, test_serialization, test_serialization_forced_alignement and test_empty):
    /// compact JSON with fields in the order dtype, shape, data_offsets, padded with spaces to a multiple of 8.
    /// </summary>
    [Theory]
    [MemberData(nameof(ReferenceLayouts))]
    public void WriteMatchesTheReferenceWritersBytes(string which)
    {
        float[] values = [0f, 1f, 2f, 3f, 4f, 5f];
        (NamedTensor[] tensors, Dictionary<string, string>? metadata, string json, int spaces, byte[] data) = which switch
        {
            "attn.0" => ((NamedTensor[])[new("attn.0", [1, 2, 3], values)], (Dictionary<string, string>?)null,
                         """{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}""", 0, F32Bytes(values)),
            "attn0" => ([new("attn0", [1, 1, 2, 3], values)], null,
                        """{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}""", 7, F32Bytes(values)),
            "metadata only" => ([], new Dictionary<string, string> { ["framework"] = "pt" },
                                """{"__metadata__":{"framework":"pt"}}""", 5, []),
            _ => ([], null, "{}", 6, []),
        };
        byte[] expected = Layout(json, data, spaces);
        string path = dir.File("reference.safetensors");

        Safetensors.Write(path, tensors, metadata);

        Assert.Equal(expected, File.ReadAllBytes(path));
        AssertSameTensors(tensors, Safetensors.Read(path));
    }

    [Fact]
    public void ReadsAFileLaidOutByHand()
    {
        string path = dir.File("hand.safetensors");
        File.WriteAllBytes(path, HandLaid());

        IReadOnlyList<NamedTensor> read = Safetensors.Read(path);

        var expected = HandLaidExpected();
        Assert.Equal(expected.Select(e => e.Name), read.Select(t => t.Name));   // data-offset order, not key order
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Shape, read[i].Shape);
            Assert.Equal(expected[i].Values.Select(BitConverter.SingleToInt32Bits), read[i].Data.Select(BitConverter.SingleToInt32Bits));
        }
        IReadOnlyDictionary<string, string> metadata = Safetensors.ReadMetadata(path);
        Assert.Equal(2, metadata.Count);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal("laid out by hand", metadata["note"]);
    }

    [Fact]
    public void ReadsEveryF16BitPatternAsSystemHalfDoes()
    {
        // All 65536 half bit patterns, checked against a hand-written IEEE binary16 decoder.
        ushort[] words = new ushort[65536];
        for (int i = 0; i < words.Length; i++)
            words[i] = (ushort)i;
        string path = dir.File("f16.safetensors");
        File.WriteAllBytes(path, Layout("""{"h":{"dtype":"F16","shape":[256,256],"data_offsets":[0,131072]}}""", U16Bytes(words)));

        float[] read = Safetensors.Read(path)[0].Data;

        for (int i = 0; i < words.Length; i++)
        {
            int sign = i >> 15, exponent = (i >> 10) & 0x1F, mantissa = i & 0x3FF;
            double magnitude = exponent switch
            {
                0 => mantissa * Math.Pow(2, -24),
                31 => mantissa == 0 ? double.PositiveInfinity : double.NaN,
                _ => (1 + (mantissa / 1024.0)) * Math.Pow(2, exponent - 15),
            };
            float expected = (float)(sign == 1 ? -magnitude : magnitude);
            if (float.IsNaN(expected))
                Assert.True(float.IsNaN(read[i]), $"0x{i:X4}");
            else
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(read[i]), $"0x{i:X4}: {read[i]} != {expected}");
        }
    }

    [Fact]
    public void ReadsBF16AsTheTopHalfOfAFloat32()
    {
        float[] values = [1f, -2.5f, 0.15625f, 1e30f, -1e-30f, float.PositiveInfinity, 0f, -0f, 65536f, 3f];
        ushort[] words = values.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)).ToArray();
        string path = dir.File("bf16.safetensors");
        File.WriteAllBytes(path, Layout("""{"b":{"dtype":"BF16","shape":[10],"data_offsets":[0,20]}}""", U16Bytes(words)));

        float[] read = Safetensors.Read(path)[0].Data;

        for (int i = 0; i < values.Length; i++)
            Assert.Equal(BitConverter.SingleToUInt32Bits(values[i]) & 0xFFFF0000u, BitConverter.SingleToUInt32Bits(read[i]));
        Assert.Equal(1f, read[0]);
        Assert.Equal(-2.5f, read[1]);
        Assert.Equal(0.15625f, read[2]);
    }

    [Fact]
    public void ReadsLargeHalfTensorsAcrossConversionChunks()
    {
        // 100,003 elements: more than one conversion chunk, not a multiple of it.
        const int count = 100_003;
        ushort[] f16 = new ushort[count];
        ushort[] bf16 = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            f16[i] = (ushort)(0x3C00 + (i % 1024));             // 1 + m/1024
            bf16[i] = (ushort)(0x3F80 + (i % 128));             // 1 + m/128
        }
        string json = $$$"""{"f":{"dtype":"F16","shape":[{{{count}}}],"data_offsets":[0,{{{2 * count}}}]},"g":{"dtype":"BF16","shape":[{{{count}}}],"data_offsets":[{{{2 * count}}},{{{4 * count}}}]}}""";
        string path = dir.File("large.safetensors");
        File.WriteAllBytes(path, Layout(json, Concat(U16Bytes(f16), U16Bytes(bf16))));

        IReadOnlyList<NamedTensor> read = Safetensors.Read(path);

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(1f + ((i % 1024) / 1024f), read[0].Data[i]);
            Assert.Equal(1f + ((i % 128) / 128f), read[1].Data[i]);
        }
    }

    [Fact]
    public void AcceptsWhatTheReferenceAccepts()
    {
        // Leading whitespace, unknown fields in an entry, a null __metadata__, empty tensors sharing an offset
        // with the next tensor, and keys in no particular order.
        const string json = """

             {"c": {"data_offsets": [4, 8], "shape": [1], "dtype": "F32", "extra": {"x": [1, 2]}},
              "__metadata__": null,
              "b": {"dtype": "F32", "shape": [0], "data_offsets": [4, 4]},
              "a": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]},
              "d": {"dtype": "BF16", "shape": [3, 0], "data_offsets": [8, 8]}}
            """;
        string path = dir.File("lenient.safetensors");
        File.WriteAllBytes(path, Layout(json, F32Bytes(7f, 8f), trailingSpaces: 3));

        IReadOnlyList<NamedTensor> read = Safetensors.Read(path);

        Assert.Equal(["a", "b", "c", "d"], read.Select(t => t.Name));
        Assert.Equal([7f], read[0].Data);
        Assert.Equal([8f], read[2].Data);
        Assert.Equal([3, 0], read[3].Shape);
        Assert.Empty(Safetensors.ReadMetadata(path));
    }

    // ---------------------------------------------------------------------------------------------
    // Atomic replacement and argument validation
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void WriteReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        string path = dir.File("replace.safetensors");
        File.WriteAllText(path, "not a safetensors file, and longer than the new one will be ............................................................................................................................................................................................................................................................................................................................................................................................");

        NamedTensor[] tensors = [new("x", [2], [1f, 2f])];
        Safetensors.Write(path, tensors);
        AssertSameTensors(tensors, Safetensors.Read(path));

        NamedTensor[] second = [new("y", [1], [3f])];
        Safetensors.Write(path, second);
        AssertSameTensors(second, Safetensors.Read(path));

        Assert.Equal([path], dir.Entries());
    }

    [Fact]
    public void WriteAcceptsARelativePath()
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, dir.File("relative.safetensors"));
        Safetensors.Write(relative, [new("x", [1], [1f])]);
        Assert.Equal([1f], Safetensors.Read(relative)[0].Data);
        Assert.Equal([dir.File("relative.safetensors")], dir.Entries());
    }

    [Fact]
    public void WriteWorksForAFileNameNearTheFileSystemLimit()
    {
        string path = dir.File(new string('n', 238) + ".safetensors");   // 250 characters
        Safetensors.Write(path, [new("x", [1], [1f])]);
        Assert.Equal([1f], Safetensors.Read(path)[0].Data);
        Assert.Equal([path], dir.Entries());
    }

    public static TheoryData<string, string> BadArguments() => new()
    {
        { "null tensor", "#2" },
        { "null name", "#2" },
        { "empty name", "#2" },
        { "reserved name", "__metadata__" },
        { "duplicate name", "'lstm.bias_ih_l0'" },
        { "null shape", "'bad'" },
        { "null data", "'bad'" },
        { "negative dimension", "'bad' has a negative dimension in shape [-1, -1]" },
        { "shape larger than data", "'bad'" },
        { "shape smaller than data", "'bad'" },
        { "huge shape", "'bad'" },
        { "huge shape with a zero", "'bad'" },
        { "lone surrogate in name", "#2" },
        { "null metadata value", "'k'" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void BadArgumentsThrowAndLeaveTheExistingFileUntouched(string which, string named)
    {
        string path = dir.File("keep.safetensors");
        Safetensors.Write(path, SampleTensors(), new Dictionary<string, string> { ["a"] = "b" });
        byte[] before = File.ReadAllBytes(path);

        List<NamedTensor> tensors = [new("first", [1], [1f]), new("lstm.bias_ih_l0", [1], [2f])];
        Dictionary<string, string>? metadata = null;
        NamedTensor bad = which switch
        {
            "null tensor" => null!,
            "null name" => new(null!, [1], [1f]),
            "empty name" => new("", [1], [1f]),
            "reserved name" => new("__metadata__", [1], [1f]),
            "duplicate name" => new("lstm.bias_ih_l0", [1], [1f]),
            "null shape" => new("bad", null!, [1f]),
            "null data" => new("bad", [1], null!),
            "negative dimension" => new("bad", [-1, -1], [1f]),
            "shape larger than data" => new("bad", [2, 2], [1f, 2f, 3f]),
            "shape smaller than data" => new("bad", [], [1f, 2f]),
            "huge shape" => new("bad", [int.MaxValue, int.MaxValue, int.MaxValue, 2], [1f]),
            "huge shape with a zero" => new("bad", [65536, 65536, 0], [1f]),
            "lone surrogate in name" => new("bad\uD800", [1], [1f]),
            _ => new("fine", [1], [1f]),
        };
        if (which == "null metadata value")
            metadata = new Dictionary<string, string> { ["k"] = null! };
        tensors.Add(bad);
        tensors.Add(new("last", [1], [1f]));   // the bad tensor is not the last: validation precedes writing

        ArgumentException ex = Assert.ThrowsAny<ArgumentException>(() => Safetensors.Write(path, tensors, metadata));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], dir.Entries());
    }

    [Fact]
    public void ValidArgumentsThatLookOddAreAccepted()
    {
        // Shapes with a zero dimension beside large ones, names with any characters.
        NamedTensor[] tensors =
        [
            new("big zero", [65536, 65536, 0], []),
            new("名前.weight \"quoted\"", [1], [1f]),
            new("__metadata", [1], [2f]),
        ];
        string path = dir.File("odd.safetensors");
        Safetensors.Write(path, tensors);
        AssertSameTensors(tensors, Safetensors.Read(path));
    }

    [Fact]
    public void NullOrEmptyPathThrows()
    {
        Assert.ThrowsAny<ArgumentException>(() => Safetensors.Write(null!, []));
        Assert.ThrowsAny<ArgumentException>(() => Safetensors.Write("", []));
        Assert.ThrowsAny<ArgumentException>(() => Safetensors.Write(dir.File("x.safetensors"), null!));
        Assert.ThrowsAny<ArgumentException>(() => Safetensors.Read(null!));
        Assert.ThrowsAny<ArgumentException>(() => Safetensors.Read(""));
        Assert.ThrowsAny<ArgumentException>(() => Safetensors.ReadMetadata(""));
    }

    [Fact]
    public void AFailedMoveDeletesTheTemporaryFile()
    {
        // The target is a non-empty directory: the data is written to the temporary file, then the move fails.
        string target = dir.File("target.safetensors");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "inside"), "x");

        Exception? ex = Record.Exception(() => Safetensors.Write(target, SampleTensors()));

        Assert.True(ex is IOException or UnauthorizedAccessException, ex?.ToString() ?? "no exception");
        Assert.Equal([target], dir.Entries());
        Assert.True(Directory.Exists(target));
    }

    [Fact]
    public void AMissingDirectoryThrowsAndCreatesNothing()
    {
        string path = Path.Combine(dir.Path, "no", "such", "dir", "x.safetensors");
        Assert.Throws<DirectoryNotFoundException>(() => Safetensors.Write(path, SampleTensors()));
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void ReadingAMissingFileIsAnIOErrorNotInvalidData()
    {
        Assert.Throws<FileNotFoundException>(() => Safetensors.Read(dir.File("missing.safetensors")));
    }

    [Fact]
    public void ErrorsSayWhereTheyAre()
    {
        string path = dir.File("where.safetensors");
        File.WriteAllBytes(path, Layout("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}""", 12));
        InvalidDataException ex = Assert.Throws<InvalidDataException>(() => Safetensors.Read(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("16", ex.Message, StringComparison.Ordinal);
        Assert.Contains("12", ex.Message, StringComparison.Ordinal);
    }
}

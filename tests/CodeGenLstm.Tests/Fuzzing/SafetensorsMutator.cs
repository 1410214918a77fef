using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CodeGenLstm.Tests.Runtime;

namespace CodeGenLstm.Tests.Fuzzing;

/// <summary>
/// Builds a valid safetensors file by hand (<see cref="SafetensorsTestFiles"/>: F32, F16 and BF16 tensors, a 0-d
/// scalar, an empty tensor, metadata, header keys in random order), then damages it: truncations, bit flips,
/// hostile length prefixes, shapes, offsets, dtypes, names and header texts, duplicate names, data of the wrong
/// length. The header is kept as text fields, so that a mutation can put anything in one field and leave the
/// rest well formed. <see cref="SafetensorsFuzzer"/> reads the result.
/// </summary>
internal static class SafetensorsMutator
{
    /// <summary>One tensor's header entry as raw JSON texts, and where its data is (for the independent decoding).</summary>
    internal sealed class Entry
    {
        public required string Name;        // the decoded name
        public required string NameJson;    // its JSON text, quotes included
        public required string DType;       // "F32", "F16" or "BF16"
        public required string DTypeJson;
        public required int[] Shape;
        public required string ShapeJson;
        public required long Begin, End;
        public required string OffsetsJson;
        public string Extra = "";           // more fields, with their leading comma

        public string Json => $"{NameJson}:{{\"dtype\":{DTypeJson},\"shape\":{ShapeJson},\"data_offsets\":{OffsetsJson}{Extra}}}";
    }

    /// <summary>A file being built: its entries (data order), header texts around them, the data, and how it was damaged.</summary>
    internal sealed class Draft
    {
        public List<Entry> Entries = new();
        public List<int> HeaderOrder = new();   // entry indices in header order
        public string Metadata = "\"__metadata__\":{\"format\":\"pt\",\"fuzz\":\"1\"}";
        public string? HeaderOverride;          // a whole hostile header text, instead of the entries
        public byte[]? HeaderBytesOverride;     // or hostile bytes (invalid UTF-8)
        public int Padding;                     // spaces after the JSON, inside the declared length
        public byte[] Data = Array.Empty<byte>();
        public ulong? DeclaredLength;
        public List<string> Mutations = new();

        /// <summary>Whether the header is still exactly the valid one (only the data bytes may have changed).</summary>
        public bool HeaderIntact => Mutations.TrueForAll(m => m is "data bit flips" or "header padding");

        public byte[] HeaderBytes()
        {
            if (HeaderBytesOverride is not null) return HeaderBytesOverride;
            string json = HeaderOverride ?? "{" + string.Join(",", new[] { Metadata }.Where(m => m.Length > 0).Concat(HeaderOrder.Select(i => Entries[i].Json))) + "}";
            return Encoding.UTF8.GetBytes(json + new string(' ', Padding));
        }

        public byte[] File()
        {
            byte[] header = HeaderBytes();
            return SafetensorsTestFiles.Layout(DeclaredLength ?? (ulong)header.Length, header, Data);
        }
    }

    /// <summary>A valid file with random values: F32 [3, 4], F16 [5], BF16 [2, 3], a 0-d F32 scalar, an empty F32 [0, 3].</summary>
    public static Draft Valid(Random random)
    {
        var draft = new Draft();
        var data = new List<byte>();
        void Add(string name, string dtype, params int[] shape)
        {
            int count = shape.Aggregate(1, (a, b) => a * b);
            byte[] bytes = dtype switch
            {
                "F32" => SafetensorsTestFiles.F32Bytes(Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray()),
                _ => SafetensorsTestFiles.U16Bytes(Enumerable.Range(0, count).Select(_ => (ushort)random.Next(0x3000, 0x4400)).ToArray()),
            };
            draft.Entries.Add(new Entry
            {
                Name = name, NameJson = $"\"{name}\"", DType = dtype, DTypeJson = $"\"{dtype}\"", Shape = shape,
                ShapeJson = "[" + string.Join(",", shape) + "]", Begin = data.Count, End = data.Count + bytes.Length,
                OffsetsJson = $"[{data.Count},{data.Count + bytes.Length}]",
            });
            data.AddRange(bytes);
        }
        Add("lstm.weight_ih_l0", "F32", 3, 4);
        Add("lstm.bias_ih_l0", "F16", 5);
        Add("dense.weight", "BF16", 2, 3);
        Add("scale", "F32");
        Add("empty", "F32", 0, 3);
        draft.Data = data.ToArray();
        draft.HeaderOrder = Enumerable.Range(0, draft.Entries.Count).OrderBy(_ => random.Next()).ToList();
        if (random.Next(3) == 0) draft.Metadata = "";
        return draft;
    }

    private static readonly string[] s_shapes =
    {
        "[-1]", "[2147483648]", "[4294967296,1]", "[18446744073709551615]", "[18446744073709551616]", "[65536,65536,65536,65536]",
        "[3037000500,3037000500]", "[1e3]", "[1.5]", "[\"3\"]", "[null]", "null", "{}", "[]", "[3,4,0]", "[[3],4]", "[0,4294967296]",
        "[2147483647,2147483647,2147483647]", "[" + string.Join(",", Enumerable.Repeat("1", 10_000)) + "]",
    };

    private static readonly string[] s_dtypes = { "\"F64\"", "\"I32\"", "\"\"", "\"f32\"", "7", "null", "\"F32 \"", "\"BF16\"", "\"F16\"", "\"F32\"", "[\"F32\"]", "\"BOOL\"" };

    private static readonly string[] s_names = { "\"\"", "\"\\u0000\"", "\"__metadata__\"", "\"\\uD800\"", "\"a\\\\b\"", "\"q\\\"q\"", "\"" + new string('n', 100_000) + "\"", "\"lstm.bias_ih_l0\"", "7", "\"\\x41\"" };

    private static readonly string[] s_headers =
    {
        "[]", "null", "1", "\"x\"", "{", "}", "{}", "{\"a\":1}", "{\"a\":{}}", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} x",
        new string('[', 100_000), string.Concat(Enumerable.Repeat("{\"a\":", 20_000)), "\uFEFF{}", "{\"__metadata__\":{\"a\":1}}", "{\"__metadata__\":[]}",
        "{\"__metadata__\":{\"a\":\"b\"},\"__metadata__\":{\"c\":\"d\"}}", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"dtype\":\"F16\"}}",
    };

    /// <summary>Damages <paramref name="draft"/> in 1 to 3 ways, each drawn from the kinds above; returns the file's bytes.</summary>
    public static byte[] Mutate(Random random, Draft draft)
    {
        int count = random.Next(1, 4);
        byte[]? file = null;
        for (int m = 0; m < count; m++)
        {
            int kind = random.Next(13);
            if (file is not null && kind > 2) kind = random.Next(3);  // after the bytes were cut or flipped, only more of that
            Entry entry = draft.Entries[random.Next(draft.Entries.Count)];
            switch (kind)
            {
                case 0:
                    file ??= draft.File();
                    file = file[..random.Next(file.Length)];
                    draft.Mutations.Add("truncated");
                    break;
                case 1:
                    file ??= draft.File();
                    for (int k = file.Length == 0 ? 0 : random.Next(1, 5); k > 0; k--) file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                    draft.Mutations.Add("bit flips");
                    break;
                case 2:
                    if (file is not null || draft.Data.Length == 0) goto case 1;
                    for (int k = random.Next(1, 9); k > 0; k--) draft.Data[random.Next(draft.Data.Length)] ^= (byte)(1 << random.Next(8));
                    draft.Mutations.Add("data bit flips");
                    break;
                case 3:
                    ulong length = (ulong)draft.HeaderBytes().Length;
                    ulong[] lengths = { 0, 1, length - 1, length + 1, length + (ulong)draft.Data.Length, ulong.MaxValue, 1UL << 63, (1UL << 32) + length, 100_000_001, (ulong)random.NextInt64() };
                    draft.DeclaredLength = lengths[random.Next(lengths.Length)];
                    draft.Mutations.Add("length prefix");
                    break;
                case 4:
                    entry.ShapeJson = s_shapes[random.Next(s_shapes.Length)];
                    draft.Mutations.Add("shape");
                    break;
                case 5:
                    long b = entry.Begin, e = entry.End;
                    string[] offsets =
                    {
                        "[0,18446744073709551615]", "[9223372036854775807,9223372036854775808]", $"[{e},{b}]", $"[{b}]", $"[{b},{e},0]", $"[-4,{e}]",
                        $"[{b},{e + 4}]", "[0,0]", $"\"{b},{e}\"", "[1e20,2e20]", $"[{b},18446744073709551616]", $"[{b + 1},{e + 1}]", "null",
                    };
                    entry.OffsetsJson = offsets[random.Next(offsets.Length)];
                    draft.Mutations.Add("offsets");
                    break;
                case 6:
                    entry.DTypeJson = s_dtypes[random.Next(s_dtypes.Length)];
                    draft.Mutations.Add("dtype");
                    break;
                case 7:
                    draft.HeaderOrder.Insert(random.Next(draft.HeaderOrder.Count + 1), draft.HeaderOrder[random.Next(draft.HeaderOrder.Count)]);
                    draft.Mutations.Add("duplicate name");
                    break;
                case 8:
                    entry.NameJson = s_names[random.Next(s_names.Length)];
                    draft.Mutations.Add("name");
                    break;
                case 9:
                    if (random.Next(4) == 0) draft.HeaderBytesOverride = new byte[] { (byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}' };
                    else draft.HeaderOverride = s_headers[random.Next(s_headers.Length)];
                    draft.Mutations.Add("header text");
                    break;
                case 10:
                    string[] extras = { ",\"extra\":1", ",\"dtype\":\"F16\"", ",\"shape\":[1]", ",\"data_offsets\":[0,4]", ",\"extra\":{\"deep\":[[[[1]]]]}" };
                    entry.Extra = extras[random.Next(extras.Length)];
                    draft.Mutations.Add("extra field");
                    break;
                case 11:
                    int change = random.Next(1, 9);
                    draft.Data = random.Next(2) == 0 || draft.Data.Length < change ? draft.Data.Concat(new byte[change]).ToArray() : draft.Data[..^change];
                    draft.Mutations.Add("data length");
                    break;
                default:
                    draft.Padding = random.Next(1, 64);
                    draft.Mutations.Add("header padding");
                    break;
            }
        }
        return file ?? draft.File();
    }
}

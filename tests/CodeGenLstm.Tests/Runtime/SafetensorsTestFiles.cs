using System;
using System.IO;
using System.Text;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// Builds safetensors files byte by byte from the format description, independently of
/// <see cref="Safetensors.Write"/>: 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON,
/// then the little-endian data, offsets relative to the start of the data.
/// </summary>
internal static class SafetensorsTestFiles
{
    /// <summary>The 8-byte little-endian length prefix, then <paramref name="header"/>, then <paramref name="data"/>.</summary>
    public static byte[] Layout(byte[] header, byte[] data) => Layout((ulong)header.Length, header, data);

    /// <summary>A prefix that says <paramref name="declaredLength"/>, whatever the header really is.</summary>
    public static byte[] Layout(ulong declaredLength, byte[] header, byte[] data)
    {
        byte[] file = new byte[8 + header.Length + data.Length];
        for (int i = 0; i < 8; i++)
            file[i] = (byte)(declaredLength >> (8 * i));
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>The header is <paramref name="json"/> in UTF-8 followed by <paramref name="trailingSpaces"/> spaces.</summary>
    public static byte[] Layout(string json, byte[] data, int trailingSpaces = 0) =>
        Layout(Encoding.UTF8.GetBytes(json + new string(' ', trailingSpaces)), data);

    /// <summary>The header is <paramref name="json"/> and the data <paramref name="dataLength"/> zero bytes.</summary>
    public static byte[] Layout(string json, int dataLength) => Layout(json, new byte[dataLength]);

    /// <summary>Little-endian IEEE single bytes, assembled by shifts (not by the code under test).</summary>
    public static byte[] F32Bytes(params float[] values)
    {
        byte[] bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            uint bits = BitConverter.SingleToUInt32Bits(values[i]);
            for (int b = 0; b < 4; b++)
                bytes[(4 * i) + b] = (byte)(bits >> (8 * b));
        }
        return bytes;
    }

    /// <summary>Little-endian 16-bit words (F16 or BF16 bit patterns).</summary>
    public static byte[] U16Bytes(params ushort[] words)
    {
        byte[] bytes = new byte[words.Length * 2];
        for (int i = 0; i < words.Length; i++)
        {
            bytes[2 * i] = (byte)words[i];
            bytes[(2 * i) + 1] = (byte)(words[i] >> 8);
        }
        return bytes;
    }

    /// <summary>Concatenates byte arrays.</summary>
    public static byte[] Concat(params byte[][] parts)
    {
        int length = 0;
        foreach (byte[] part in parts)
            length += part.Length;
        byte[] result = new byte[length];
        int offset = 0;
        foreach (byte[] part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }
        return result;
    }

    /// <summary>
    /// A valid file laid out by hand the way Python's safetensors lays it out (header keys sorted by name,
    /// so not in data order), with F32, F16 and BF16 tensors, a 0-d scalar, an empty tensor and metadata; the
    /// header is pretty-printed and padded with spaces. <see cref="HandLaidExpected"/> gives its contents.
    /// </summary>
    public static byte[] HandLaid()
    {
        const string json = """
            {
              "__metadata__": {"format": "pt", "note": "laid out by hand"},
              "a_bf16": {"dtype": "BF16", "shape": [2, 2], "data_offsets": [24, 32]},
              "b_f32": {"dtype": "F32", "shape": [3], "data_offsets": [0, 12]},
              "c_f16": {"dtype": "F16", "shape": [6], "data_offsets": [12, 24]},
              "d_scalar": {"dtype": "F16", "shape": [], "data_offsets": [32, 34]},
              "e_empty": {"dtype": "F32", "shape": [0, 4], "data_offsets": [34, 34]}
            }
            """;
        byte[] data = Concat(
            // b_f32: 1.0 = 0x3F800000, -2.5 = 0xC0200000, 0.15625 = 1.25 * 2^-3 = 0x3E200000
            [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0, 0x00, 0x00, 0x20, 0x3E],
            // c_f16: 1.0 = 0x3C00, -2.5 = 0xC100, 65504 (largest half) = 0x7BFF, 2^-24 (smallest subnormal) = 0x0001,
            //        +infinity = 0x7C00, -0 = 0x8000
            [0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B, 0x01, 0x00, 0x00, 0x7C, 0x00, 0x80],
            // a_bf16 (top half of a float32): 1.0 = 0x3F80, -2.5 = 0xC020, 3.140625 = 0x4049, -infinity = 0xFF80
            [0x80, 0x3F, 0x20, 0xC0, 0x49, 0x40, 0x80, 0xFF],
            // d_scalar (F16): 0.5 = 0x3800
            [0x00, 0x38]);
        int length = Encoding.UTF8.GetByteCount(json);
        int spaces = ((8 - (length % 8)) % 8) + 8;   // to a multiple of 8, then 8 more
        return Layout(json, data, spaces);
    }

    /// <summary>The tensors of <see cref="HandLaid"/> in data-offset order, values derived by hand.</summary>
    public static (string Name, int[] Shape, float[] Values)[] HandLaidExpected() =>
    [
        ("b_f32", [3], [1f, -2.5f, 0.15625f]),
        ("c_f16", [6], [1f, -2.5f, 65504f, 5.9604644775390625e-8f, float.PositiveInfinity, -0f]),
        ("a_bf16", [2, 2], [1f, -2.5f, 3.140625f, float.NegativeInfinity]),
        ("d_scalar", [], [0.5f]),
        ("e_empty", [0, 4], []),
    ];
}

/// <summary>A fresh directory under the system temp directory, deleted with its contents on dispose.</summary>
internal sealed class SafetensorsTempDirectory : IDisposable
{
    public SafetensorsTempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cgl-safetensors-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Entries() => Directory.GetFileSystemEntries(Path);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

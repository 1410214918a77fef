using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using static CodeGenLstm.Tests.Runtime.SafetensorsTestFiles;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// Truncated and corrupted files: Read and ReadMetadata either succeed or throw InvalidDataException,
/// never anything else (no IndexOutOfRange, OutOfMemory, Overflow, JsonException, ArgumentException...).
/// </summary>
public sealed class SafetensorsRobustnessTests : IDisposable
{
    private readonly SafetensorsTempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    public static TheoryData<string> BaseFiles() => ["hand-laid", "written"];

    private byte[] BaseFile(string which)
    {
        if (which == "hand-laid")
            return HandLaid();
        string path = dir.File("base.safetensors");
        Safetensors.Write(path,
            [
                new("lstm.weight_ih_l0", [4, 2], [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f]),
                new("scalar", [], [-1f]),
                new("empty", [3, 0], []),
                new("lstm.bias_ih_l0", [4], [0.5f, -0.5f, 0.25f, -0.25f]),
            ],
            new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "3" });
        return File.ReadAllBytes(path);
    }

    private static int HeaderEnd(byte[] file)
    {
        ulong n = 0;
        for (int i = 0; i < 8; i++)
            n |= (ulong)file[i] << (8 * i);
        return 8 + (int)n;
    }

    /// <summary>Reads the file both ways; returns null on success or InvalidDataException, else a description.</summary>
    private static string? Probe(string path)
    {
        foreach (bool metadataOnly in new[] { false, true })
        {
            try
            {
                if (metadataOnly)
                {
                    _ = Safetensors.ReadMetadata(path);
                }
                else
                {
                    foreach (NamedTensor tensor in Safetensors.Read(path))
                    {
                        long count = tensor.Shape.Aggregate(1L, (a, d) => a * d);
                        if (count != tensor.Data.Length || tensor.Shape.Any(d => d < 0))
                            return $"tensor '{tensor.Name}' read with shape [{string.Join(",", tensor.Shape)}] and {tensor.Data.Length} values";
                    }
                }
            }
            catch (InvalidDataException)
            {
                // The one allowed failure.
            }
            catch (Exception ex)
            {
                return (metadataOnly ? "ReadMetadata: " : "Read: ") + ex.GetType().Name + ": " + ex.Message;
            }
        }
        return null;
    }

    [Theory]
    [MemberData(nameof(BaseFiles))]
    public void EveryTruncationIsInvalidData(string which)
    {
        byte[] file = BaseFile(which);
        string path = dir.File("truncated.safetensors");
        File.WriteAllBytes(path, file);
        Assert.NotEmpty(Safetensors.Read(path));   // the full file is valid

        for (int length = 0; length < file.Length; length++)
        {
            File.WriteAllBytes(path, file[..length]);
            InvalidDataException ex = Assert.Throws<InvalidDataException>(() => Safetensors.Read(path));
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            Assert.Throws<InvalidDataException>(() => Safetensors.ReadMetadata(path));
        }
    }

    [Theory]
    [MemberData(nameof(BaseFiles))]
    public void ExtendingTheFileIsInvalidData(string which)
    {
        byte[] file = BaseFile(which);
        string path = dir.File("extended.safetensors");
        foreach (int extra in new[] { 1, 2, 4, 8, 100 })
        {
            File.WriteAllBytes(path, Concat(file, new byte[extra]));
            Assert.Throws<InvalidDataException>(() => Safetensors.Read(path));
        }
    }

    // Bytes that change the meaning of JSON, UTF-8 or numbers when they land in a header.
    private static readonly byte[] Significant = Encoding.ASCII.GetBytes("{}[],:\"\\-+.eE0123456789 \tn_tf")
        .Concat(new byte[] { 0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF })
        .ToArray();

    [Theory]
    [InlineData("hand-laid", 1)]
    [InlineData("hand-laid", 2)]
    [InlineData("written", 3)]
    [InlineData("written", 4)]
    public void RandomCorruptionsAreReadOrRejectedAsInvalidData(string which, int seed)
    {
        const int iterations = 1000;
        byte[] original = BaseFile(which);
        int headerEnd = HeaderEnd(original);
        var random = new Random(seed);
        string path = dir.File("corrupt.safetensors");
        var failures = new List<string>();
        int accepted = 0, rejected = 0;

        for (int iteration = 0; iteration < iterations; iteration++)
        {
            byte[] file = (byte[])original.Clone();
            int mutations = 1 + random.Next(3);
            var log = new StringBuilder();
            for (int m = 0; m < mutations; m++)
            {
                // Mostly the length prefix and header, where the parsing is; sometimes anywhere.
                int position = random.Next(4) switch
                {
                    0 => random.Next(8),
                    1 => random.Next(file.Length),
                    _ => 8 + random.Next(headerEnd - 8),
                };
                byte value = random.Next(2) == 0 ? (byte)random.Next(256) : Significant[random.Next(Significant.Length)];
                log.Append(System.Globalization.CultureInfo.InvariantCulture, $"[{position}]={value:X2} ");
                file[position] = value;
            }
            File.WriteAllBytes(path, file);
            string? failure = Probe(path);
            if (failure is not null)
                failures.Add($"iteration {iteration} ({log}): {failure}");
            else if (IsRead(path))
                accepted++;
            else
                rejected++;
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        // The corruptions exercised both outcomes (deterministic for a fixed seed).
        Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void RandomHeaderSplicesAreReadOrRejectedAsInvalidData(int seed)
    {
        // Cut, duplicate and shift pieces of the header text (keeping the length prefix right),
        // which produces structurally odd but often syntactically valid JSON.
        byte[] original = HandLaid();
        int headerEnd = HeaderEnd(original);
        byte[] header = original[8..headerEnd];
        byte[] data = original[headerEnd..];
        var random = new Random(seed);
        string path = dir.File("splice.safetensors");
        var failures = new List<string>();

        for (int iteration = 0; iteration < 500; iteration++)
        {
            int start = random.Next(header.Length);
            int length = random.Next(Math.Min(40, header.Length - start) + 1);
            int insertAt = random.Next(header.Length);
            byte[] piece = header[start..(start + length)];
            byte[] spliced = random.Next(2) == 0
                ? Concat(header[..insertAt], piece, header[insertAt..])                                            // duplicate
                : Concat(header[..start], header[(start + length)..]);                                             // cut
            byte[] dataPart = random.Next(4) == 0 ? data[..random.Next(data.Length + 1)] : data;
            File.WriteAllBytes(path, Layout(spliced, dataPart));
            string? failure = Probe(path);
            if (failure is not null)
                failures.Add($"iteration {iteration}: {failure}");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    private static bool IsRead(string path)
    {
        try
        {
            _ = Safetensors.Read(path);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodeGenLstm.TorchParity.Tests.Declarations;
using CodeGenLstm.TorchParity.Tests.Torch;
using TorchSharp;
using static TorchSharp.torch;
using PyBridgeSafetensors = TorchSharp.PyBridge.Safetensors;

namespace CodeGenLstm.TorchParity.Tests;

/// <summary>
/// Our Safetensors against an independent implementation, TorchSharp.PyBridge 1.4.4's reader and writer:
/// files written by ours are read by theirs and the other way, bit for bit.
/// </summary>
public sealed class SafetensorsCrossCheckTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("codegenlstm-safetensors-").FullName;

    public SafetensorsCrossCheckTests() => TorchSetup.Ensure();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>Tensors that stress a reader: odd shapes (0-d, zero-sized, 1-element, ragged sizes, 3-d) and every special float.</summary>
    private static List<NamedTensor> OddTensors()
    {
        var random = new Random(11);
        float[] specials =
        {
            0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, 1.17549421e-38f /* largest subnormal */, float.MaxValue, float.MinValue,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.Int32BitsToSingle(0x7FC12345), BitConverter.Int32BitsToSingle(unchecked((int)0xFF800001)),
        };
        return new List<NamedTensor>
        {
            new("scalar", Array.Empty<int>(), new[] { 3.25f }),
            new("empty", new[] { 0, 3 }, Array.Empty<float>()),
            new("one", new[] { 1 }, new[] { -7.5f }),
            new("specials", new[] { specials.Length }, specials),
            new("ragged.weight", new[] { 33, 7 }, Enumerable.Range(0, 33 * 7).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()),
            new("cube", new[] { 3, 5, 17 }, Enumerable.Range(0, 3 * 5 * 17).Select(i => i * 0.001f).ToArray()),
            new("large", new[] { 1000, 257 }, Enumerable.Range(0, 1000 * 257).Select(_ => (float)random.NextDouble()).ToArray()),
        };
    }

    private static void AssertSameBits(NamedTensor expected, Tensor actual)
    {
        Assert.True(actual.dtype == ScalarType.Float32, $"{expected.Name}: {actual.dtype}");
        Assert.True(expected.Shape.Select(s => (long)s).SequenceEqual(actual.shape),
            $"{expected.Name}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.Shape)}]");
        var theirs = new NamedTensor(expected.Name, expected.Shape, Tensors.Floats(actual));
        Assert.True(Tensors.BitwiseEqual(new[] { theirs }, new[] { expected }, out string difference), difference);
    }

    [Fact]
    public void TheirReaderReadsOurFilesBitForBit()
    {
        using var scope = torch.NewDisposeScope();
        List<NamedTensor> tensors = OddTensors();
        // Names: a PyTorch-style dotted name, non-ASCII (UTF-8 in the header), JSON escapes.
        tensors.Add(new NamedTensor("encoder.gewicht_ü_\u4e2d", new[] { 2 }, new[] { 1f, 2f }));
        tensors.Add(new NamedTensor("quote\"back\\slash", new[] { 1 }, new[] { 4f }));
        string path = PathOf("ours.safetensors");
        Safetensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "written by CodeGenLstm" });

        Dictionary<string, Tensor> theirs = PyBridgeSafetensors.LoadStateDict(path);
        Assert.Equal(tensors.Select(t => t.Name).Order(StringComparer.Ordinal), theirs.Keys.Order(StringComparer.Ordinal));
        foreach (NamedTensor tensor in tensors) AssertSameBits(tensor, theirs[tensor.Name]);
    }

    [Fact]
    public void OurReaderReadsTheirFilesBitForBit()
    {
        using var scope = torch.NewDisposeScope();
        List<NamedTensor> tensors = OddTensors();
        var stateDict = tensors.ToDictionary(t => t.Name, t => Tensors.From(t.Data, t.Shape.Select(s => (long)s).ToArray()));
        string path = PathOf("theirs.safetensors");
        using (FileStream stream = File.Create(path)) PyBridgeSafetensors.SaveStateDict(stream, stateDict);

        // Their writer does not pad the header to 8 bytes, as ours does: this also reads an unaligned header.
        IReadOnlyList<NamedTensor> ours = Safetensors.Read(path);
        Assert.Equal(tensors.Select(t => t.Name), ours.Select(t => t.Name));
        for (int i = 0; i < tensors.Count; i++)
        {
            Assert.Equal(tensors[i].Shape, ours[i].Shape);
            Assert.Equal(tensors[i].Data.Select(BitConverter.SingleToInt32Bits), ours[i].Data.Select(BitConverter.SingleToInt32Bits));
        }
    }

    /// <summary>F16 and BF16 as their writer stores them, every one of the 65,536 bit patterns: ours reads the float libtorch converts to, bit for bit.</summary>
    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void OurReaderDecodesEveryHalfPrecisionPatternAsLibtorch(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        byte[] bytes = new byte[65536 * 2];
        for (int i = 0; i < 65536; i++) BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), (ushort)i);
        Tensor half = torch.empty(new long[] { 256, 256 }, dtype: dtype);
        half.bytes = bytes;
        string path = PathOf("half.safetensors");
        using (FileStream stream = File.Create(path)) PyBridgeSafetensors.SaveStateDict(stream, new Dictionary<string, Tensor> { ["half"] = half });

        NamedTensor ours = Assert.Single(Safetensors.Read(path));
        float[] expected = Tensors.Floats(half.to(ScalarType.Float32));
        Assert.Equal(new[] { 256, 256 }, ours.Shape);
        for (int i = 0; i < expected.Length; i++)
        {
            // Exact bits, NaN payloads included (both widen the payload the same way).
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(ours.Data[i]),
                $"pattern 0x{i:X4}: ours {ours.Data[i]:R}, libtorch {expected[i]:R}");
        }
    }

    /// <summary>Every parity model's parameters, both ways: our export read by theirs, their save of torch's state_dict read by ours.</summary>
    [Fact]
    public void ModelWeightsCrossBothWays()
    {
        using var scope = torch.NewDisposeScope();
        foreach (Type type in Catalogue.Drawn)
        {
            Declaration declaration = Declaration.Of(type);
            IReadOnlyList<NamedTensor> exported = declaration.CreateModel(seed: 3).ExportParameters();
            string ours = PathOf(type.Name + ".ours.safetensors");
            Safetensors.Write(ours, exported);
            Dictionary<string, Tensor> read = PyBridgeSafetensors.LoadStateDict(ours);
            Assert.Equal(exported.Count, read.Count);
            foreach (NamedTensor tensor in exported) AssertSameBits(tensor, read[tensor.Name]);

            using TorchTwin twin = TorchTwin.Create(declaration, seed: 3);
            Dictionary<string, Tensor> stateDict = twin.Module.state_dict();
            string theirs = PathOf(type.Name + ".theirs.safetensors");
            using (FileStream stream = File.Create(theirs)) PyBridgeSafetensors.SaveStateDict(stream, stateDict);
            Assert.True(Tensors.BitwiseEqual(Safetensors.Read(theirs), Tensors.Named(stateDict), out string difference), difference);
        }
    }
}

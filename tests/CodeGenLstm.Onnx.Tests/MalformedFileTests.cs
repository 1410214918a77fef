using System;
using System.IO;
using System.Linq;

namespace CodeGenLstm.Onnx.Tests;

/// <summary>Damaged files: InvalidDataException and the model unchanged, or (a change that touches nothing read) the exact weights.</summary>
public sealed class MalformedFileTests
{
    private static readonly byte[] s_source = OnnxFile.ToBytes(ModelGrid.Create("TokenLstmBiLastStep", seed: 1));
    private static readonly float[] s_sourceWeights = ModelGrid.Create("TokenLstmBiLastStep", seed: 1).Parameters.ToArray();

    [Fact]
    public void TruncatedFilesAreRejected()
    {
        int rejected = 0;
        for (int length = 0; length < s_source.Length; length += Math.Max(1, s_source.Length / 300))
            rejected += ReadsExactlyOrRejects(s_source.AsSpan(0, length).ToArray()) ? 0 : 1;
        Assert.True(rejected > 250, $"{rejected} truncations rejected");
    }

    [Fact]
    public void FlippedBitsAreRejectedOrChangeNothing()
    {
        var random = new Random(18);
        int rejected = 0;
        for (int i = 0; i < 400; i++)
        {
            byte[] damaged = (byte[])s_source.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            rejected += ReadsExactlyOrRejects(damaged) ? 0 : 1;
        }
        // Most bytes of the file are weights, and the checksum covers every one of them.
        Assert.True(rejected > 300, $"{rejected} of 400 flips rejected");
    }

    [Fact]
    public void GarbageIsRejected()
    {
        var random = new Random(7);
        for (int i = 0; i < 50; i++)
        {
            byte[] garbage = new byte[random.Next(1, 5000)];
            random.NextBytes(garbage);
            Assert.False(ReadsExactlyOrRejects(garbage));
        }
        Assert.False(ReadsExactlyOrRejects(Array.Empty<byte>()));
    }

    /// <summary>
    /// Reads <paramref name="bytes"/> into a model with other weights: true when it loaded exactly the source's
    /// weights, false when it threw InvalidDataException and left the model unchanged; anything else fails.
    /// </summary>
    private static bool ReadsExactlyOrRejects(byte[] bytes)
    {
        ISequenceModel target = ModelGrid.Create("TokenLstmBiLastStep", seed: 2);
        float[] before = target.Parameters.ToArray();
        try
        {
            OnnxFile.Read(target, bytes);
        }
        catch (InvalidDataException)
        {
            Assert.True(before.AsSpan().SequenceEqual(target.Parameters), "a rejected file changed the model");
            return false;
        }
        Assert.True(s_sourceWeights.AsSpan().SequenceEqual(target.Parameters), "a damaged file was read as other weights");
        return true;
    }
}

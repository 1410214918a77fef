using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CodeGenLstm.Onnx;

/// <summary>
/// SHA-256 of the weights in Parameters order, written into the exported model's metadata. ONNX files carry
/// no checksum of their own: with this, a flipped bit in a weight of a file we wrote is an error on import
/// instead of a silently different model. Files from elsewhere have no such entry and are not checked.
/// </summary>
internal static class WeightChecksum
{
    public const string Key = "codegenlstm.weights.sha256";

    public static string Of(ReadOnlySpan<float> parameters) =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(parameters)));

    /// <summary>
    /// The same hash over ExportParameters' tensors, which lie in Parameters order: the exporter reads the weights
    /// this way, never through the Parameters span, because a model whose span was taken compares its weights with
    /// its packed copies on every later call (it cannot know whether the span was kept and written).
    /// </summary>
    public static string Of(IEnumerable<NamedTensor> tensors)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (NamedTensor tensor in tensors) sha.AppendData(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

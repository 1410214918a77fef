using System;
using System.IO;
using System.Linq;

namespace CodeGenLstm.Onnx.Tests;

/// <summary>Export, import into a fresh model, export again: the same bytes and the same Parameters.</summary>
public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(ModelGrid.Names), MemberType = typeof(ModelGrid))]
    public void ExportImportExportIsBitForBit(string name)
    {
        ISequenceModel source = ModelGrid.Create(name, seed: 1), target = ModelGrid.Create(name, seed: 2);
        Assert.False(source.Parameters.SequenceEqual(target.Parameters));  // otherwise the test shows nothing
        var options = new OnnxExportOptions { VariableLengths = true, States = true };
        byte[] first = OnnxFile.ToBytes(source, options);

        OnnxFile.Read(target, first);

        Assert.True(source.Parameters.SequenceEqual(target.Parameters));
        Assert.Equal(first, OnnxFile.ToBytes(target, options));
    }

    [Fact]
    public void WriteAndReadGoThroughAFile()
    {
        ISequenceModel source = ModelGrid.Create("TokenGruLastStep", seed: 1), target = ModelGrid.Create("TokenGruLastStep", seed: 2);
        string path = Path.Combine(Path.GetTempPath(), $"codegenlstm-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxFile.Write(source, path);
            OnnxFile.Read(target, path);
            Assert.True(source.Parameters.SequenceEqual(target.Parameters));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

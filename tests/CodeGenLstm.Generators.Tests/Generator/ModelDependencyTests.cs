using System.IO;
using System.Linq;
using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;
using CodeGenLstm.Generators.Tests.Documentation;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The model (generators/.../Model) is what the parser produces and the analyzers and the emitter read: it
/// depends on neither of them, so that a fact the parser or the analyzers need, such as a cell's gate count,
/// lives in the model and the emitter reads it there, never the other way round.
/// </summary>
public class ModelDependencyTests
{
    private static readonly string s_modelFolder =
        Path.Combine(MarkdownCode.Root, "generators", "CodeGenLstm.Generators", "Model");

    [Fact]
    public void TheModelNamesNothingOfTheEmitterOrTheParser()
    {
        string[] files = Directory.GetFiles(s_modelFolder, "*.cs");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            // Code only: comments may say who reads the model.
            string[] offending = File.ReadAllLines(file)
                .Select(line => line.Split("//")[0])
                .Where(code => code.Contains("Emitting") || code.Contains("Parsing") || code.Contains("Analyzers"))
                .ToArray();
            Assert.True(offending.Length == 0, $"{Path.GetFileName(file)} names another layer: {string.Join(" | ", offending)}");
        }
    }

    // PyTorch's documentation: weight_ih_l[k] has 4 * hidden_size rows for nn.LSTM, 3 * for nn.GRU, 1 * for nn.RNN.
    [Theory]
    [InlineData("Lstm", 4)]
    [InlineData("Gru", 3)]
    [InlineData("Rnn", 1)]
    public void EachCellNamesAsManyGatesAsTheModelCounts(string name, int pytorchBlocks)
    {
        LayerKind kind = System.Enum.Parse<LayerKind>(name);
        Assert.Equal(pytorchBlocks, LayerSpec.GatesOf(kind));
        Assert.Equal(pytorchBlocks, RecurrentCell.Of(kind).GateOrder.Count);
    }
}

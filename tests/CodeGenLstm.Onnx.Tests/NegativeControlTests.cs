using CodeGenLstm.Onnx.Tests.Harness;

namespace CodeGenLstm.Onnx.Tests;

/// <summary>The agreement check fails when the exported graph and our model differ in one weight.</summary>
[Trait("Category", "Numerical")]
public sealed class NegativeControlTests
{
    [Theory]
    [InlineData("LstmL2Bi", "lstm.weight_hh_l1_reverse")]
    [InlineData("GruL1Uni", "gru.bias_hh_l0")]
    [InlineData("RnnReluL2Uni", "rnn.weight_ih_l0")]
    [InlineData("TokenLstmBiLastStep", "embedding.weight")]
    [InlineData("MixedStack", "dense_1.weight")]
    public void OneChangedWeightMakesTheComparisonFail(string name, string tensor)
    {
        ISequenceModel model = ModelGrid.Create(name);
        var options = new OnnxExportOptions { VariableLengths = true, States = true };
        byte[] onnx = OnnxFile.ToBytes(model, options);
        var run = new ModelRun(model, batch: 4, steps: 7, new[] { 7, 2, 5, 1 }, initialState: true, seed: 5);
        (float[] peer, float[] peerH, _) = OrtRunner.Run(onnx, run, options);

        // The same weight in our copy, changed by 0.05 after the export: every element of the tensor, so that the
        // change reaches the output whatever the inputs (one weight may multiply a dead unit).
        int offset = 0;
        foreach (NamedTensor t in model.ExportParameters())
        {
            if (t.Name == tensor)
            {
                for (int i = 0; i < t.Data.Length; i++) model.Parameters[offset + i] += 0.05f;
                break;
            }
            offset += t.Data.Length;
        }
        (float[] ours, float[] oursH, _) = run.RunOurs();

        bool outputDiffers = Agreement.Disagreement(ours, peer, out _) is not null;
        bool stateDiffers = Agreement.Disagreement(oursH, peerH, out _) is not null;
        Assert.True(outputDiffers || stateDiffers, $"a changed {tensor} went unnoticed");
    }
}

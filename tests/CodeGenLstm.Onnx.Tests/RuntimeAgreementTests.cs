using System;
using System.Linq;
using CodeGenLstm.Onnx.Tests.Harness;
using Xunit.Abstractions;

namespace CodeGenLstm.Onnx.Tests;

/// <summary>Every model of the grid exported and run in ONNX Runtime: outputs and final states agree with ours.</summary>
[Trait("Category", "Numerical")]
public sealed class RuntimeAgreementTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (object[] name in ModelGrid.Names())
            foreach (string variant in new[] { "fixed", "variable+states", "time-major+variable" })
                data.Add((string)name[0], variant);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OnnxRuntimeAgreesWithOurs(string name, string variant)
    {
        ISequenceModel model = ModelGrid.Create(name);
        OnnxExportOptions options = variant switch
        {
            "fixed" => new OnnxExportOptions(),
            "variable+states" => new OnnxExportOptions { VariableLengths = true, States = true },
            _ => new OnnxExportOptions { VariableLengths = true, TimeMajor = true },
        };
        int[]? lengths = options.VariableLengths ? new[] { 7, 2, 5, 1 } : null;  // the longest equals steps, as Forward requires none
        var run = new ModelRun(model, batch: 4, steps: 7, lengths, initialState: options.States, seed: name.Length * 31 + variant.Length);

        (float[] ours, float[] oursH, float[] oursC) = run.RunOurs();
        (float[] peer, float[] peerH, float[] peerC) = OrtRunner.Run(OnnxFile.ToBytes(model, options), run, options);

        Assert.Null(Agreement.Disagreement(ours, peer, out double excess));
        output.WriteLine($"output: worst difference {excess:F3} of the bound ({ours.Length} values)");
        if (options.States)
        {
            Assert.Null(Agreement.Disagreement(oursH, peerH, out double excessH));
            Assert.Null(Agreement.Disagreement(oursC, peerC, out double excessC));
            output.WriteLine($"h_n: worst {excessH:F3} of the bound; c_n: worst {excessC:F3}");
        }
        Assert.Contains(ours, v => v != 0);  // a model that output only zeros would agree with anything that did too
    }
}

using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.TorchParity.Tests.Declarations;
using CodeGenLstm.TorchParity.Tests.Parity;
using Xunit.Abstractions;

namespace CodeGenLstm.TorchParity.Tests;

/// <summary>
/// The generated models against libtorch, in both directions of the weights: output, h_n, c_n, every
/// parameter gradient and the input gradient, for every drawn model and every drawn case.
/// </summary>
[Trait("Category", "Numerical")]
public class ParityTests(ITestOutputHelper output) : IClassFixture<PeerDefects>
{
    public static IEnumerable<object[]> Cases() => Catalogue.Cases();

    /// <summary>Two cases per model the other way: equal lengths with zeros, variable lengths with a random initial state.</summary>
    public static IEnumerable<object[]> ExportCases() => Catalogue.Cases().Where(c => (int)c[1] < 2);

    public static IEnumerable<object[]> ScalarCases() => Catalogue.Cases().Where(c => (int)c[1] == 1);

    public static IEnumerable<object[]> DropoutCases() =>
        Enumerable.Range(0, Catalogue.CasesPerModel).Select(i => new object[] { nameof(LstmWithDropout), i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void TorchWeightsGiveTorchNumbersHere(string model, int index) =>
        Check(ParityRunner.Run(Catalogue.Get(model), Catalogue.Draw(Catalogue.Get(model), index), Direction.TorchToOurs));

    [Theory]
    [MemberData(nameof(ExportCases))]
    public void OurWeightsGiveOurNumbersInTorch(string model, int index) =>
        Check(ParityRunner.Run(Catalogue.Get(model), Catalogue.Draw(Catalogue.Get(model), index), Direction.OursToTorch));

    /// <summary>Our scalar reference kernels (UseScalarKernels) against libtorch too, on the variable-length cases.</summary>
    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void ScalarKernelsGiveTorchNumbersToo(string model, int index)
    {
        CaseReport report = ParityRunner.Run(Catalogue.Get(model), Catalogue.Draw(Catalogue.Get(model), index), Direction.TorchToOurs, scalarKernels: true);
        Assert.Equal("Scalar", report.KernelPath);
        Check(report);
    }

    /// <summary>
    /// Stateful = true carries the final state of one Forward into the next: the second of two chunks
    /// (equal lengths, and variable lengths) equals torch fed its own h_n / c_n of the first, gradients
    /// included (truncated backpropagation through time).
    /// </summary>
    [Theory]
    [MemberData(nameof(ExportCases))]
    public void CarriedStateMatchesTorchFedItsOwnFinalState(string model, int index)
    {
        CaseDraw draw = Catalogue.Draw(Catalogue.Get(model), index) with { InitialState = false };
        Check(ParityRunner.Run(Catalogue.Get(model), draw, Direction.TorchToOurs, carriedState: true));
    }

    /// <summary>
    /// Inference as a PyTorch user runs it, eval() under torch.no_grad() (for LSTM, libtorch's oneDNN inference
    /// path), against our Forward with training: false. Where that path is wrong on the machine, the case names
    /// it and ours is held to the same bounds against libtorch's float64.
    /// </summary>
    [Theory]
    [MemberData(nameof(ExportCases))]
    public void InferenceMatchesTorchUnderNoGrad(string model, int index) =>
        Check(ParityRunner.Run(Catalogue.Get(model), Catalogue.Draw(Catalogue.Get(model), index), Direction.TorchToOurs, training: false, noGrad: true));

    /// <summary>Dropout between stacked layers acts in training only: in inference the model is nn.LSTM(dropout=0.25).eval().</summary>
    [Theory]
    [MemberData(nameof(DropoutCases))]
    public void DropoutModelsMatchTorchInInference(string model, int index) =>
        Check(ParityRunner.Run(Catalogue.Get(model), Catalogue.Draw(Catalogue.Get(model), index), Direction.TorchToOurs, training: false));

    private void Check(CaseReport report)
    {
        output.WriteLine(report.Describe());
        PeerDefects.Record(report);
        Assert.NotEmpty(report.Results);
        Assert.True(report.Passed, "ours and libtorch differ beyond the bounds:" + System.Environment.NewLine +
            Comparison.Describe(report.Results.Where(r => !r.Passed)));
    }
}

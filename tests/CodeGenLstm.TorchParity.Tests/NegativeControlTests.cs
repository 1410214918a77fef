using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.TorchParity.Tests.Declarations;
using CodeGenLstm.TorchParity.Tests.Parity;
using Xunit.Abstractions;

namespace CodeGenLstm.TorchParity.Tests;

/// <summary>
/// The comparisons can fail: faults injected into our side only are caught, quantity by quantity.
/// Without these, a comparison that compared nothing (or compared torch with itself) would pass.
/// </summary>
[Trait("Category", "Numerical")]
public class NegativeControlTests(ITestOutputHelper output)
{
    /// <summary>Models that together have every kind of compared quantity (c_n, embedding, dense, input gradient, two recurrent layers).</summary>
    public static IEnumerable<object[]> Models() =>
        new[] { nameof(LstmL2Bi), nameof(GruL3Uni), nameof(RnnReluL1Bi), nameof(RnnTanhL2Uni), nameof(TokenLstmBiLastStep), nameof(TokenGruBiEachStep), nameof(MixedStack) }
            .Select(m => new object[] { m });

    public static IEnumerable<object[]> GatedModels() =>
        new[] { nameof(LstmL1Bi), nameof(LstmL3Uni), nameof(GruL1Uni), nameof(GruL3Bi), nameof(TokenLstmEachStep) }.Select(m => new object[] { m });

    /// <summary>Case 1: variable lengths and a random initial state, so every weight takes part.</summary>
    private static CaseReport RunCase(string model, Fault fault)
    {
        Declaration declaration = Catalogue.Get(model);
        return ParityRunner.Run(declaration, Catalogue.Draw(declaration, 1), Direction.TorchToOurs, fault);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void WeightsOffByOnePartInAThousandFailEveryForwardQuantity(string model)
    {
        CaseReport report = RunCase(model, new Fault("every weight x 1.001", AfterImport: m =>
        {
            foreach (ref float p in m.Parameters) p *= 1.001f;
        }));
        output.WriteLine(report.Describe());
        var forward = report.Results.Where(r => r.Kind == QuantityKind.Forward).ToList();
        Assert.Contains(forward, r => r.Name == "output");
        Assert.Contains(forward, r => r.Name == "h_n");
        Assert.All(forward, r => Assert.False(r.Passed, $"{r.Name} did not notice the fault: {r}"));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void AnOutputGradientOffByOnePercentFailsEveryGradient(string model)
    {
        CaseReport report = RunCase(model, new Fault("our output gradient x 1.01", OurOutputGradient: g =>
        {
            for (int i = 0; i < g.Length; i++) g[i] *= 1.01f;
        }));
        output.WriteLine(report.Describe());
        var gradients = report.Results.Where(r => r.Kind == QuantityKind.Gradient).ToList();
        Assert.Equal(Catalogue.Get(model).CreateModel().ExportParameters().Count + (Catalogue.Get(model).TokenInput ? 0 : 1), gradients.Count);
        Assert.All(gradients, r => Assert.False(r.Passed, $"{r.Name} did not notice the fault: {r}"));
        Assert.All(report.Results.Where(r => r.Kind == QuantityKind.Forward), r => Assert.True(r.Passed, r.ToString()));
    }

    /// <summary>A gate-order mix-up (the first two gate blocks swapped: i/f for LSTM, r/z for GRU) is caught.</summary>
    [Theory]
    [MemberData(nameof(GatedModels))]
    public void SwappedGateBlocksFailTheOutput(string model)
    {
        CaseReport report = RunCase(model, new Fault("gate blocks 0 and 1 swapped in every recurrent tensor", AfterImport: m =>
        {
            var swapped = m.ExportParameters().Select(t =>
            {
                if (!t.Name.Contains("_ih_", StringComparison.Ordinal) && !t.Name.Contains("_hh_", StringComparison.Ordinal)) return t;
                int gates = t.Name.StartsWith("lstm", StringComparison.Ordinal) ? 4 : 3;
                int block = t.Data.Length / gates;
                float[] data = (float[])t.Data.Clone();
                Array.Copy(t.Data, 0, data, block, block);
                Array.Copy(t.Data, block, data, 0, block);
                return t with { Data = data };
            }).ToList();
            m.ImportParameters(swapped);
        }));
        output.WriteLine(report.Describe());
        Assert.False(report.Results.Single(r => r.Name == "output").Passed);
    }

    /// <summary>
    /// A peer that is wrong on the machine is caught by its own float64 twin: libtorch's float32 output made
    /// wrong by one part in a hundred (as libtorch's oneDNN LSTM is on some CPUs) is named as the peer's
    /// defect, with the machine, and ours, which is right, passes against the float64 twin.
    /// </summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void APeerWrongInFloat32IsNamedAndOursIsComparedWithItsFloat64(string model)
    {
        CaseReport report = RunCase(model, new Fault("libtorch's float32 output x 1.01", PeerFloat32Output: y =>
        {
            for (int i = 0; i < y.Length; i++) y[i] *= 1.01f;
        }));
        output.WriteLine(report.Describe());
        Assert.NotNull(report.PeerDefect);
        Assert.Contains("disagrees with its own float64", report.PeerDefect, StringComparison.Ordinal);
        Assert.Contains(TestSupport.Machine.Description, report.PeerDefect, StringComparison.Ordinal);
        Assert.Contains(report.PeerSelfCheck, r => r.Name == "output" && !r.Passed);
        Assert.True(report.Passed, "ours should pass against libtorch's float64:" + Environment.NewLine + report.Describe());
    }

    /// <summary>And where the float64 twin stands in for a wrong peer, a fault of ours is still caught.</summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void OurFaultIsCaughtWhenThePeersFloat64StandsIn(string model)
    {
        CaseReport report = RunCase(model, new Fault("libtorch's float32 output x 1.01, and every weight of ours x 1.001",
            AfterImport: m =>
            {
                foreach (ref float p in m.Parameters) p *= 1.001f;
            },
            PeerFloat32Output: y =>
            {
                for (int i = 0; i < y.Length; i++) y[i] *= 1.01f;
            }));
        output.WriteLine(report.Describe());
        Assert.NotNull(report.PeerDefect);
        Assert.All(report.Results.Where(r => r.Kind == QuantityKind.Forward), r => Assert.False(r.Passed, $"{r.Name} did not notice the fault: {r}"));
    }
}

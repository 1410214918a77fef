using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.TorchParity.Tests.Declarations;

namespace CodeGenLstm.TorchParity.Tests;

/// <summary>The parity models are the seeded draw, and the draw covers the space issue 3 asks for.</summary>
public class CatalogueTests
{
    private static readonly List<Declaration> s_drawn = Catalogue.Drawn.Select(Declaration.Of).ToList();

    [Fact]
    public void TheDeclarationsAreTheSeededDraw() =>
        Assert.Equal(SeededDraw.Declarations(), s_drawn.Select(d => d.Canonical()));

    public static IEnumerable<object[]> CellKinds() => SeededDraw.CellKinds.Select(k => new object[] { k });

    private static string KindOf(RecurrentLayer r) =>
        r.Cell == Cell.Rnn ? (r.Activation == Activation.Relu ? "RnnRelu" : "RnnTanh") : r.Cell.ToString();

    [Theory]
    [MemberData(nameof(CellKinds))]
    public void EveryCellKindMeetsEverySizeClassDepthAndDirection(string kind)
    {
        var layers = s_drawn.Where(d => d.Layers.Count == 1).Select(d => (RecurrentLayer)d.Layers[0]).Where(r => KindOf(r) == kind).ToList();
        var pairs = layers.Select(r => (r.Layers, r.Bidirectional)).ToHashSet();
        foreach (int depth in new[] { 1, 2, 3 })
            foreach (bool bidirectional in new[] { false, true })
                Assert.Contains((depth, bidirectional), pairs);
        foreach (Func<RecurrentLayer, int> size in new Func<RecurrentLayer, int>[] { r => r.Input, r => r.Hidden })
        {
            var sizes = layers.Select(size).ToHashSet();
            Assert.Contains(1, sizes);
            Assert.Contains(7, sizes);
            Assert.Contains(33, sizes);
            Assert.Contains(sizes, s => s % 16 == 0);
        }
    }

    [Fact]
    public void WholeModelsCoverEmbeddingDenseAndBothReadouts()
    {
        var whole = s_drawn.Where(d => d.Layers.OfType<DenseLayer>().Any()).ToList();
        foreach (Cell cell in Enum.GetValues<Cell>())
            Assert.Contains(whole, d => d.TokenInput && d.Layers[1] is RecurrentLayer r && r.Cell == cell);
        Assert.Contains(whole, d => d.TokenInput && d.Layers[^1] is DenseLayer { Readout: Readout.EachStep });
        Assert.Contains(whole, d => d.TokenInput && d.Layers[^1] is DenseLayer { Readout: Readout.LastStep });
        // LastStep below a bidirectional layer (PyTorch's h_n), below a unidirectional one, and without Embedding.
        Assert.Contains(whole, d => d.Layers[^1] is DenseLayer { Readout: Readout.LastStep } && d.Layers[^2] is RecurrentLayer { Bidirectional: true });
        Assert.Contains(whole, d => d.Layers[^1] is DenseLayer { Readout: Readout.LastStep } && d.Layers[^2] is RecurrentLayer { Bidirectional: false });
        Assert.Contains(whole, d => !d.TokenInput && d.Layers[^1] is DenseLayer { Readout: Readout.LastStep });
        // A named layer and a second layer of one kind (dense_1).
        Assert.Contains(whole, d => d.Layers.Any(l => l.Name == "encoder") && d.Layers.Any(l => l.Name == "dense_1"));
    }

    [Fact]
    public void EveryModelHasEqualAndVariableLengthCasesInTheIssuesRanges()
    {
        foreach (Declaration model in s_drawn)
        {
            var draws = Enumerable.Range(0, Catalogue.CasesPerModel).Select(i => Catalogue.Draw(model, i)).ToList();
            Assert.Contains(draws, d => d.Lengths is null);
            Assert.Contains(draws, d => d.Lengths is not null);
            Assert.Contains(draws, d => d.InitialState);
            Assert.All(draws, d =>
            {
                Assert.InRange(d.Batch, 1, 8);
                Assert.InRange(d.Steps, 1, 40);
                if (d.Lengths is not null)
                {
                    Assert.Equal(d.Batch, d.Lengths.Length);
                    Assert.All(d.Lengths, l => Assert.InRange(l, 1, d.Steps));
                }
            });
            Assert.Equal(draws, Enumerable.Range(0, Catalogue.CasesPerModel).Select(i => Catalogue.Draw(model, i)), new DrawComparer());
        }
    }

    /// <summary>Draws are values: the same seed gives the same case.</summary>
    private sealed class DrawComparer : IEqualityComparer<CaseDraw>
    {
        public bool Equals(CaseDraw? x, CaseDraw? y) => x is not null && y is not null && x.ToString() == y.ToString() && x.DataSeed == y.DataSeed;

        public int GetHashCode(CaseDraw obj) => obj.Seed;
    }
}

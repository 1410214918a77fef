using System;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// The bodies of SetInitialState, GetFinalState, Stateful's carry and Forward's batch check, which every generated
/// model passes its state arrays and its two sizes: the batch is taken from h0 or c0, an empty span means zeros,
/// both empty forget the state, and every rejected call leaves the arrays and the batch as they were.
/// </summary>
public class RecurrentStateTests
{
    // A model with StateSize 3 and CellStateSize 2 (say an LSTM of 2 under an RNN of 1).
    private const int State = 3, Cell = 2;

    private float[] _initialH = Array.Empty<float>(), _initialC = Array.Empty<float>();
    private int _initialBatch;

    private void Set(float[] h0, float[] c0, int stateSize = State, int cellStateSize = Cell) =>
        RecurrentState.SetInitial(h0, c0, stateSize, cellStateSize, ref _initialH, ref _initialC, ref _initialBatch);

    [Fact]
    public void TheBatchComesFromH0AndBothAreCopied()
    {
        Set(new float[] { 1, 2, 3, 4, 5, 6 }, new float[] { 7, 8, 9, 10 });
        Assert.Equal(2, _initialBatch);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, _initialH.AsSpan(0, 6).ToArray());
        Assert.Equal(new float[] { 7, 8, 9, 10 }, _initialC.AsSpan(0, 4).ToArray());
    }

    [Fact]
    public void AnEmptySpanBesideAGivenOneMeansZeros()
    {
        _initialH = new float[] { 9, 9, 9, 9, 9, 9 };
        _initialC = new float[] { 9, 9, 9, 9 };
        Set(Array.Empty<float>(), new float[] { 7, 8, 9, 10 });
        Assert.Equal(2, _initialBatch);
        Assert.Equal(new float[6], _initialH.AsSpan(0, 6).ToArray());
        Set(new float[] { 1, 2, 3 }, Array.Empty<float>());
        Assert.Equal(1, _initialBatch);
        Assert.Equal(new float[] { 1, 2, 3 }, _initialH.AsSpan(0, 3).ToArray());
        Assert.Equal(new float[2], _initialC.AsSpan(0, 2).ToArray());
    }

    [Fact]
    public void BothEmptyForgetTheState()
    {
        Set(new float[] { 1, 2, 3 }, new float[] { 4, 5 });
        Set(Array.Empty<float>(), Array.Empty<float>());
        Assert.Equal(0, _initialBatch);
    }

    [Theory]
    [InlineData(4, 0, "h0", "expected batch * StateSize (StateSize = 3)")]
    [InlineData(0, 3, "c0", "expected batch * CellStateSize (CellStateSize = 2)")]
    [InlineData(6, 2, "c0", "expected 2 * CellStateSize (CellStateSize = 2)")]
    public void AMisshapenSpanIsRejectedAndChangesNothing(int hLength, int cLength, string argument, string message)
    {
        Set(new float[] { 1, 2, 3 }, new float[] { 4, 5 });
        float[] h = _initialH, c = _initialC;
        ArgumentException e = Assert.Throws<ArgumentException>(() => Set(new float[hLength], new float[cLength]));
        Assert.Equal(argument, e.ParamName);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(1, _initialBatch);
        Assert.Same(h, _initialH);
        Assert.Same(c, _initialC);
        Assert.Equal(new float[] { 1, 2, 3 }, h.AsSpan(0, 3).ToArray());
        Assert.Equal(new float[] { 4, 5 }, c.AsSpan(0, 2).ToArray());
    }

    [Fact]
    public void AModelWithoutLstmRejectsC0AndNeverTouchesItsCellArray()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Set(new float[3], new float[2], cellStateSize: 0));
        Assert.Equal("c0", e.ParamName);
        Assert.Contains("no LSTM layer", e.Message, StringComparison.Ordinal);
        Set(new float[] { 1, 2, 3 }, Array.Empty<float>(), cellStateSize: 0);
        Assert.Equal(1, _initialBatch);
        Assert.Empty(_initialC);
    }

    [Fact]
    public void AModelWithoutRecurrentLayersAcceptsOnlyEmptySpans()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Set(Array.Empty<float>(), new float[1], 0, 0));
        Assert.Equal("c0", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Set(new float[1], Array.Empty<float>(), 0, 0));
        Assert.Equal("h0", e.ParamName);
        Assert.Contains("no recurrent layer", e.Message, StringComparison.Ordinal);
        Set(Array.Empty<float>(), Array.Empty<float>(), 0, 0);
        Assert.Equal(0, _initialBatch);
    }

    [Fact]
    public void GetFinalCopiesTheFinalStateAndChecksTheSpans()
    {
        float[] finalH = { 1, 2, 3, 4, 5, 6, 99 }, finalC = { 7, 8, 9, 10, 99 };
        Assert.Throws<InvalidOperationException>(() => RecurrentState.GetFinal(new float[6], default, State, Cell, finalH, finalC, 0));
        ArgumentException e = Assert.Throws<ArgumentException>(() => RecurrentState.GetFinal(new float[5], default, State, Cell, finalH, finalC, 2));
        Assert.Equal("hN", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => RecurrentState.GetFinal(new float[6], new float[3], State, Cell, finalH, finalC, 2));
        Assert.Equal("cN", e.ParamName);
        float[] hN = new float[6], cN = new float[4];
        RecurrentState.GetFinal(hN, cN, State, Cell, finalH, finalC, 2);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, hN);
        Assert.Equal(new float[] { 7, 8, 9, 10 }, cN);
        RecurrentState.GetFinal(hN, default, State, Cell, finalH, finalC, 2);  // cN may be left empty
    }

    [Fact]
    public void CarryMakesTheFinalStateTheNextInitialState()
    {
        float[] finalH = { 1, 2, 3, 4, 5, 6, 99 }, finalC = { 7, 8, 9, 10, 99 };
        RecurrentState.Carry(2, State, Cell, finalH, finalC, ref _initialH, ref _initialC, ref _initialBatch);
        Assert.Equal(2, _initialBatch);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, _initialH.AsSpan(0, 6).ToArray());
        Assert.Equal(new float[] { 7, 8, 9, 10 }, _initialC.AsSpan(0, 4).ToArray());
    }

    [Theory]
    [InlineData(0, 5, false, null)]
    [InlineData(5, 5, true, null)]
    [InlineData(4, 5, true, "Stateful and its last call had batch 4")]
    [InlineData(4, 5, false, "SetInitialState gave a state for batch 4")]
    public void ForwardAcceptsOnlyTheBatchOfTheStateItWasGiven(int initialBatch, int batch, bool stateful, string? message)
    {
        if (message is null)
        {
            RecurrentState.CheckBatch(initialBatch, batch, stateful);
            return;
        }
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => RecurrentState.CheckBatch(initialBatch, batch, stateful));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}

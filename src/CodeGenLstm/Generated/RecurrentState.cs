using System;
using System.ComponentModel;
using System.Globalization;

namespace CodeGenLstm.Generated;

/// <summary>
/// The recurrent state a generated model is given and gives back: the bodies of SetInitialState, GetFinalState,
/// Stateful's carry and Forward's batch check, the same for every model but for its two sizes, so written once
/// here. The model keeps the arrays (its recurrent stages read the initial state and write the final one) and
/// passes them in: h is [batch, stateSize], c is [batch, cellStateSize] (cellStateSize 0: no LSTM layer; stateSize
/// 0: no recurrent layer). An initial batch of 0 means zeros for any batch; a final batch of 0, no Forward yet.
/// Every argument is checked before anything is written, so a rejected call changes nothing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RecurrentState
{
    /// <summary>
    /// SetInitialState: takes the batch from <paramref name="h0"/> or <paramref name="c0"/> (each empty or a whole
    /// number of sequences, the two alike), copies them into the initial state (an empty one as zeros), or forgets
    /// the initial state when both are empty.
    /// </summary>
    public static void SetInitial(ReadOnlySpan<float> h0, ReadOnlySpan<float> c0, int stateSize, int cellStateSize,
        ref float[] initialH, ref float[] initialC, ref int initialBatch)
    {
        if (stateSize == 0)
        {
            if (!h0.IsEmpty || !c0.IsEmpty)
                throw new ArgumentException("This model has no recurrent layer, so no state: h0 and c0 must be empty.", h0.IsEmpty ? nameof(c0) : nameof(h0));
            initialBatch = 0;
            return;
        }
        int batch = 0;
        if (!h0.IsEmpty)
        {
            if (h0.Length % stateSize != 0)
                throw new ArgumentException($"h0 has {h0.Length} elements; expected batch * StateSize (StateSize = {stateSize}).", nameof(h0));
            batch = h0.Length / stateSize;
        }
        if (!c0.IsEmpty)
        {
            if (cellStateSize == 0)
                throw new ArgumentException("c0 must be empty: this model has no LSTM layer, so no cell state.", nameof(c0));
            if (batch == 0 ? c0.Length % cellStateSize != 0 : c0.Length != batch * cellStateSize)
                throw new ArgumentException($"c0 has {c0.Length} elements; expected {(batch == 0 ? "batch" : batch.ToString(CultureInfo.InvariantCulture))} * CellStateSize (CellStateSize = {cellStateSize}).", nameof(c0));
            batch = c0.Length / cellStateSize;
        }
        if (batch == 0)
        {
            initialBatch = 0;
            return;
        }
        ModelSupport.Ensure(ref initialH, (long)batch * stateSize);
        if (h0.IsEmpty) initialH.AsSpan(0, batch * stateSize).Clear(); else h0.CopyTo(initialH);
        if (cellStateSize != 0)
        {
            ModelSupport.Ensure(ref initialC, (long)batch * cellStateSize);
            if (c0.IsEmpty) initialC.AsSpan(0, batch * cellStateSize).Clear(); else c0.CopyTo(initialC);
        }
        initialBatch = batch;
    }

    /// <summary>GetFinalState: copies the last Forward's final state into <paramref name="hN"/> and, when not empty, <paramref name="cN"/>.</summary>
    public static void GetFinal(Span<float> hN, Span<float> cN, int stateSize, int cellStateSize,
        float[] finalH, float[] finalC, int finalBatch)
    {
        ArgumentNullException.ThrowIfNull(finalH);
        ArgumentNullException.ThrowIfNull(finalC);
        if (finalBatch == 0)
            throw new InvalidOperationException("GetFinalState needs a Forward before it.");
        ModelSupport.CheckLength(nameof(hN), hN.Length, (long)finalBatch * stateSize, "batch * StateSize");
        ModelSupport.CheckOptionalLength(nameof(cN), cN.Length, (long)finalBatch * cellStateSize, "batch * CellStateSize");
        finalH.AsSpan(0, finalBatch * stateSize).CopyTo(hN);
        if (!cN.IsEmpty) finalC.AsSpan(0, finalBatch * cellStateSize).CopyTo(cN);
    }

    /// <summary>Stateful's carry, at the end of a Forward of <paramref name="batch"/> sequences: its final state becomes the next one's initial state.</summary>
    public static void Carry(int batch, int stateSize, int cellStateSize, float[] finalH, float[] finalC,
        ref float[] initialH, ref float[] initialC, ref int initialBatch)
    {
        ArgumentNullException.ThrowIfNull(finalH);
        ArgumentNullException.ThrowIfNull(finalC);
        ModelSupport.Ensure(ref initialH, (long)batch * stateSize);
        ModelSupport.Ensure(ref initialC, (long)batch * cellStateSize);
        finalH.AsSpan(0, batch * stateSize).CopyTo(initialH);
        finalC.AsSpan(0, batch * cellStateSize).CopyTo(initialC);
        initialBatch = batch;
    }

    /// <summary>Forward's check that an initial state set (or carried, when <paramref name="stateful"/>) is for this call's batch.</summary>
    public static void CheckBatch(int initialBatch, int batch, bool stateful)
    {
        if (initialBatch != 0 && initialBatch != batch)
        {
            throw new InvalidOperationException(stateful
                ? $"This model is Stateful and its last call had batch {initialBatch}; this call has batch {batch}. Call ResetState() before changing the batch size."
                : $"SetInitialState gave a state for batch {initialBatch}; this call has batch {batch}. Call SetInitialState for this batch, or ResetState().");
        }
    }
}

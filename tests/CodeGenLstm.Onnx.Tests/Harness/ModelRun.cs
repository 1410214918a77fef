using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm;

namespace CodeGenLstm.Onnx.Tests.Harness;

/// <summary>
/// One forward pass of a model: drawn inputs, lengths and initial state, our output and final state, and the
/// same inputs in the exported graph's names and layouts (per stacked recurrent layer [directions, batch, hidden]).
/// </summary>
public sealed class ModelRun
{
    public ModelRun(ISequenceModel model, int batch, int steps, int[]? lengths, bool initialState, int seed)
    {
        Model = model;
        Batch = batch;
        Steps = steps;
        Lengths = lengths;
        var random = new Random(seed);
        if (model is ITokenSequenceModel tokenModel)
            Tokens = Enumerable.Range(0, batch * steps).Select(_ => random.Next(tokenModel.VocabularySize)).ToArray();
        else
            Input = Enumerable.Range(0, batch * steps * model.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        if (initialState)
        {
            H0 = Enumerable.Range(0, batch * model.StateSize).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            C0 = Enumerable.Range(0, batch * model.CellStateSize).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        }
    }

    public ISequenceModel Model { get; }
    public int Batch { get; }
    public int Steps { get; }
    public int[]? Lengths { get; }
    public int[]? Tokens { get; }
    public float[]? Input { get; }
    public float[]? H0 { get; }
    public float[]? C0 { get; }

    /// <summary>Runs our model: output, final h and c (empty without recurrent layers).</summary>
    public (float[] Output, float[] HN, float[] CN) RunOurs()
    {
        ISequenceModel m = Model;
        float[] output = new float[m.OutputPerSequence ? Batch * m.OutputSize : Batch * Steps * m.OutputSize];
        if (H0 is not null) m.SetInitialState(H0, C0); else m.ResetState();
        ReadOnlySpan<int> lengths = Lengths;
        if (m is ITokenSequenceModel tokens) tokens.Forward(Tokens, Batch, Steps, output, lengths);
        else ((IFloatSequenceModel)m).Forward(Input, Batch, Steps, output, lengths);
        float[] hN = new float[Batch * m.StateSize], cN = new float[Batch * m.CellStateSize];
        if (m.StateSize > 0) m.GetFinalState(hN, cN);
        return (output, hN, cN);
    }

    /// <summary>The stacked recurrent layers in state order: graph name prefix, directions, hidden, offset per sequence in h and c.</summary>
    public IEnumerable<(string Prefix, int Directions, int Hidden, int StateOffset, int CellOffset, bool Lstm)> StateBlocks()
    {
        int state = 0, cell = 0;
        foreach (LayerArchitecture layer in Model.Architecture.Where(l => l.IsRecurrent))
            for (int k = 0; k < layer.StackedLayers; k++)
            {
                bool lstm = layer.Type == LayerType.Lstm;
                yield return ($"{layer.Name}.l{k}", layer.Directions, layer.Size, state, cell, lstm);
                state += layer.Directions * layer.Size;
                if (lstm) cell += layer.Directions * layer.Size;
            }
    }
}

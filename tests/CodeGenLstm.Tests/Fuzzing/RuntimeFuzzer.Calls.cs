using System;
using System.Collections.Generic;
using System.Linq;

namespace CodeGenLstm.Tests.Fuzzing;

internal sealed partial class RuntimeFuzzer
{
    private static readonly int[] s_batches = { 1, 2, 3, 4, 8 };
    private static readonly int[] s_steps = { 1, 2, 3, 5, 9, 16 };
    private static readonly float[] s_clipBounds = { 1f, 1e-3f, 0f, -1f, float.NaN, float.PositiveInfinity, float.Epsilon };

    /// <summary>Draws the next call, about a third of them built to be invalid in one way.</summary>
    private static Call NextCall(Random random, ISequenceModel model, Knowledge known)
    {
        int pick = random.Next(100);
        return pick switch
        {
            < 34 => ForwardCall(random, model),
            < 52 => BackwardCall(random, model, known),
            < 60 => SetInitialStateCall(random, model),
            < 66 => GetFinalStateCall(random, model, known),
            < 72 => PropertyCall(random),
            < 80 => ImportCall(random, model),
            < 87 => OptimizerCall(random, model),
            < 93 => ClipCall(random),
            _ => LossCall(random),
        };
    }

    private static Call ForwardCall(Random random, ISequenceModel model)
    {
        int batch = s_batches[random.Next(s_batches.Length)], steps = s_steps[random.Next(s_steps.Length)];
        bool training = random.Next(10) < 6, tokens = model is ITokenSequenceModel;
        int[] lengths = random.Next(2) == 0 ? Array.Empty<int>() : Enumerable.Range(0, batch).Select(_ => random.Next(1, steps + 1)).ToArray();
        int inputLength = batch * steps * (tokens ? 1 : model.InputSize);
        int outputLength = batch * (model.OutputPerSequence ? 1 : steps) * model.OutputSize;
        string name = "Forward";
        bool invalid = random.Next(3) == 0;
        if (invalid)
        {
            switch (random.Next(9))
            {
                case 0: batch = new[] { 0, -1, int.MinValue }[random.Next(3)]; name += "(batch<1)"; break;
                case 1: steps = new[] { 0, -1, int.MinValue }[random.Next(3)]; name += "(steps<1)"; break;
                case 2: inputLength += random.Next(2) == 0 ? 1 : -1; name += "(input length)"; break;
                case 3: outputLength += random.Next(2) == 0 ? 1 : -1; name += "(output length)"; break;
                case 4: lengths = Enumerable.Repeat(1, batch + 1).ToArray(); name += "(lengths count)"; break;
                case 5:
                    lengths = Enumerable.Repeat(steps, batch).ToArray();
                    lengths[random.Next(batch)] = random.Next(2) == 0 ? 0 : steps + 1;
                    name += "(a length outside 1..steps)";
                    break;
                case 6: batch = int.MaxValue; steps = int.MaxValue; name += "(batch and steps int.MaxValue)"; break;
                case 7 when tokens: name += "(token outside the vocabulary)"; break;
                case 8 when model is FuzzWideLastStep:
                    // Spans of the right lengths, but a workspace larger than any array: rejected naming steps.
                    batch = 1;
                    steps = 2_100_000;
                    lengths = Array.Empty<int>();
                    inputLength = steps;
                    outputLength = 1;
                    name += "(workspace larger than an array)";
                    break;
                default: invalid = false; break;
            }
        }
        bool badToken = invalid && name.EndsWith("vocabulary)", StringComparison.Ordinal);
        float[] input = tokens ? Array.Empty<float>() : RandomFloats(random, Math.Max(inputLength, 0));
        int[] ids = Array.Empty<int>();
        if (tokens)
        {
            int vocabulary = ((ITokenSequenceModel)model).VocabularySize;
            ids = Enumerable.Range(0, Math.Max(inputLength, 0)).Select(_ => random.Next(vocabulary)).ToArray();
            if (badToken) ids[0] = random.Next(2) == 0 ? -1 : vocabulary;  // sequence 0, step 0: always a valid step
        }
        name += training ? " training" : " inference";
        int acceptedBatch = batch, acceptedSteps = steps;
        return new Call(name, invalid, (side, written) =>
        {
            float[] output = Output(written, outputLength);
            if (side.Model is ITokenSequenceModel t) t.Forward(ids, acceptedBatch, acceptedSteps, output, lengths, training);
            else ((IFloatSequenceModel)side.Model).Forward(input, acceptedBatch, acceptedSteps, output, lengths, training);
        }, k =>
        {
            k.Batch = acceptedBatch;
            k.Steps = acceptedSteps;
            k.FinalBatch = acceptedBatch;
            k.BackwardReady = training;
        });
    }

    private static Call BackwardCall(Random random, ISequenceModel model, Knowledge known)
    {
        int outputLength = known.Batch * (model.OutputPerSequence ? 1 : known.Steps) * model.OutputSize;
        int inputLength = model is ITokenSequenceModel ? 0 : random.Next(2) == 0 ? 0 : known.Batch * known.Steps * model.InputSize;
        string name = "Backward";
        bool invalid = false;
        switch (random.Next(8))
        {
            case 0: outputLength += random.Next(2) == 0 ? 1 : -1; invalid = true; name += "(outputGradient length)"; break;
            case 1 when model is ITokenSequenceModel: inputLength = 1; invalid = true; name += "(inputGradient for tokens)"; break;
            case 1: inputLength = known.Batch * known.Steps * model.InputSize + 1; invalid = true; name += "(inputGradient length)"; break;
        }
        invalid |= !known.BackwardReady;  // no training Forward before it, or Backward already ran
        float[] outputGradient = RandomFloats(random, Math.Max(outputLength, 0));
        return new Call(name, invalid, (side, written) =>
        {
            float[] inputGradient = inputLength == 0 ? Array.Empty<float>() : Output(written, inputLength);
            side.Model.Backward(outputGradient, inputGradient);
            written.Add(side.Model.StepGradientNorms.ToArray());
        }, k => k.BackwardReady = false);
    }

    private static Call SetInitialStateCall(Random random, ISequenceModel model)
    {
        int batch = random.Next(0, 4);
        int hLength = batch * model.StateSize, cLength = model.CellStateSize == 0 ? 0 : random.Next(2) == 0 ? 0 : batch * model.CellStateSize;
        bool invalid = false;
        string name = "SetInitialState";
        switch (random.Next(6))
        {
            case 0: hLength += 1; invalid = true; name += "(h0 length)"; break;
            case 1 when model.CellStateSize == 0: cLength = 3; invalid = true; name += "(c0 without LSTM)"; break;
            case 1 when batch > 0: cLength = (batch + 1) * model.CellStateSize; invalid = true; name += "(c0 batch)"; break;
        }
        float[] h0 = RandomFloats(random, hLength), c0 = RandomFloats(random, cLength);
        return new Call(name, invalid, (side, _) => side.Model.SetInitialState(h0, c0));
    }

    private static Call GetFinalStateCall(Random random, ISequenceModel model, Knowledge known)
    {
        int hLength = known.FinalBatch * model.StateSize, cLength = random.Next(2) == 0 ? 0 : known.FinalBatch * model.CellStateSize;
        bool invalid = known.FinalBatch == 0;
        if (random.Next(4) == 0)
        {
            hLength += random.Next(2) == 0 ? 1 : -1;
            invalid = true;
        }
        return new Call("GetFinalState", invalid, (side, written) =>
        {
            float[] hN = Output(written, hLength), cN = Output(written, cLength);
            side.Model.GetFinalState(hN, cN);
        });
    }

    private static Call PropertyCall(Random random)
    {
        switch (random.Next(4))
        {
            case 0: return new Call("Stateful = true", false, (side, _) => side.Model.Stateful = true);
            case 1: return new Call("Stateful = false", false, (side, _) => side.Model.Stateful = false);
            case 2: return new Call("ResetState", false, (side, _) => side.Model.ResetState());
            default: return new Call("ZeroGradients", false, (side, _) => side.Model.ZeroGradients());
        }
    }

    private static Call ImportCall(Random random, ISequenceModel model)
    {
        // Tensors of the right names and shapes with new values, then (two times in three) one thing wrong.
        var tensors = model.ExportParameters()
            .Select(t => new NamedTensor(t.Name, (int[])t.Shape.Clone(), RandomFloats(random, t.Data.Length)))
            .ToList<NamedTensor?>();
        string prefix = random.Next(3) == 0 ? "model." : "";
        if (prefix.Length > 0) tensors = tensors.Select(t => (NamedTensor?)(t! with { Name = prefix + t.Name })).ToList();
        int at = random.Next(tensors.Count);
        NamedTensor victim = tensors[at]!;
        string name = "ImportParameters";
        bool invalid = true;
        switch (random.Next(9))
        {
            case 0: tensors.RemoveAt(at); name += "(missing)"; break;
            case 1: tensors.Add(victim); name += "(duplicate)"; break;
            case 2: tensors[at] = victim with { Name = victim.Name + "x" }; name += "(unknown name)"; break;
            case 3: tensors[at] = victim with { Shape = victim.Shape.Append(1).ToArray() }; name += "(shape)"; break;
            case 4: tensors[at] = victim with { Data = victim.Data[..^1] }; name += "(data length)"; break;
            case 5: tensors[at] = null; name += "(null)"; break;
            case 6 when prefix.Length > 0: tensors[at] = victim with { Name = victim.Name[prefix.Length..] }; name += "(a name without the prefix)"; break;
            default: invalid = false; break;
        }
        return new Call(name, invalid, (side, _) =>
        {
            if (prefix.Length > 0) side.Model.ImportParameters(tensors.Cast<NamedTensor>(), prefix);
            else side.Model.ImportParameters(tensors.Cast<NamedTensor>());
        });
    }

    private static Call OptimizerCall(Random random, ISequenceModel model)
    {
        int cut = random.Next(4) == 0 ? 1 : 0;  // a parameters span one short: rejected, nothing stepped
        return new Call(cut == 0 ? "optimizer Step" : "optimizer Step(parameters length)", cut != 0, (side, _) =>
            side.Optimizer.Step(side.Model.Parameters[..^cut], side.Model.Gradients))
        {
            Prepare = side => _ = side.Model.Parameters,  // lends the span (every later call compares the weights), as the call does
        };
    }

    private static Call ClipCall(Random random)
    {
        float bound = s_clipBounds[random.Next(s_clipBounds.Length)];
        bool byNorm = random.Next(2) == 0;
        return new Call(byNorm ? "Clip.GlobalNorm" : "Clip.Value", !(bound > 0f), (side, written) =>
            written.Add(new[] { byNorm ? Clip.GlobalNorm(side.Model.Gradients, bound) : Clip.Value(side.Model.Gradients, bound) }));
    }

    private static Call LossCall(Random random)
    {
        int rows = random.Next(0, 6), classes = random.Next(1, 6);
        bool crossEntropy = random.Next(2) == 0, invalid = random.Next(3) == 0;
        float[] logits = RandomFloats(random, rows * classes);
        int[] targets = Enumerable.Range(0, rows).Select(_ => random.Next(4) == 0 ? Loss.DefaultIgnoreIndex : random.Next(classes)).ToArray();
        int gradientLength = random.Next(3) == 0 ? 0 : rows * classes;
        float[] lossTargets = RandomFloats(random, rows * classes);
        if (invalid)
        {
            switch (random.Next(3))
            {
                case 0 when rows > 0 && crossEntropy: targets[random.Next(rows)] = random.Next(2) == 0 ? classes : -1; break;
                case 1: gradientLength = rows * classes + 1; break;
                default: lossTargets = RandomFloats(random, rows * classes + 1); targets = targets.Append(0).ToArray(); break;
            }
        }
        return new Call(crossEntropy ? "Loss.SoftmaxCrossEntropy" : "Loss.MeanSquaredError", invalid, (_, written) =>
        {
            float[] gradient = Output(written, gradientLength);
            float loss = crossEntropy
                ? Loss.SoftmaxCrossEntropy(logits, targets, classes, gradient)
                : Loss.MeanSquaredError(logits, lossTargets, gradient);
            written.Add(new[] { loss });
        });
    }

    private static float[] RandomFloats(Random random, int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}

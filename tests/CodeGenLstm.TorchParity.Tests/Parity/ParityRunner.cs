using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodeGenLstm.TorchParity.Tests.Declarations;
using CodeGenLstm.TorchParity.Tests.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace CodeGenLstm.TorchParity.Tests.Parity;

/// <summary>Deliberate faults injected into our side only, to show that the comparison catches them.</summary>
public sealed record Fault(string Description, Action<ISequenceModel>? AfterImport = null, Action<float[]>? OurOutputGradient = null);

/// <summary>Which side initialises the weights, and which way they travel.</summary>
public enum Direction
{
    /// <summary>libtorch initialises; state_dict -> our Safetensors.Write -> our Safetensors.Read -> ImportParameters.</summary>
    TorchToOurs,

    /// <summary>We initialise; ExportParameters -> our Safetensors.Write -> TorchSharp.PyBridge's reader -> load_state_dict(strict).</summary>
    OursToTorch,
}

/// <summary>Everything one case compared, and what it ran on.</summary>
public sealed record CaseReport(Declaration Model, CaseDraw Draw, IReadOnlyList<QuantityResult> Results, string KernelPath)
{
    public bool Passed => Results.All(r => r.Passed);

    public string Describe() => $"{Model.Name}, {Draw}, our kernels: {KernelPath}{Environment.NewLine}{Comparison.Describe(Results)}";
}

/// <summary>
/// One parity case. The weights come from one side and go to the other through safetensors (see
/// <see cref="Direction"/>), and must arrive bit for bit; then both run forward (training) and backward
/// on the same input, initial state and output gradient, and the output, every final state, every
/// parameter gradient and the input gradient are compared within <see cref="Bounds"/>.
/// </summary>
public static class ParityRunner
{
    /// <param name="training">False: inference only (torch in eval mode, our Forward with training: false), no backward.</param>
    /// <param name="scalarKernels">Run our scalar reference kernels instead of the vector ones.</param>
    /// <param name="carriedState">
    /// First run a warm-up chunk of the same shape (inference) on both sides; ours with Stateful = true
    /// carries its final state into the compared chunk, torch gets the warm-up's h_n / c_n (detached) as
    /// h0 / c0: truncated backpropagation through time. The draw must not ask for a random initial state.
    /// </param>
    public static CaseReport Run(Declaration declaration, CaseDraw draw, Direction direction = Direction.TorchToOurs, Fault? fault = null,
        bool training = true, bool scalarKernels = false, bool carriedState = false)
    {
        if (carriedState && draw.InitialState) throw new ArgumentException("a carried state replaces the initial state", nameof(carriedState));
        TorchSetup.Ensure();
        using var scope = torch.NewDisposeScope();
        using TorchTwin twin = TorchTwin.Create(declaration, draw.Seed);
        if (!training) twin.Module.eval();
        else if (declaration.HasDropout) throw new ArgumentException("dropout masks are random on both sides: compare such a model in inference only", nameof(training));
        ISequenceModel model = declaration.CreateModel(draw.Seed);
        model.UseScalarKernels = scalarKernels;
        string path = Path.Combine(Path.GetTempPath(), $"codegenlstm-parity-{Guid.NewGuid():N}.safetensors");
        try
        {
            if (direction == Direction.TorchToOurs)
            {
                // torch -> safetensors (ours) -> ImportParameters. The import must be exact, and in state_dict order.
                List<NamedTensor> stateDict = Tensors.Named(twin.Module.state_dict());
                Safetensors.Write(path, stateDict);
                model.ImportParameters(Safetensors.Read(path));
                if (!Tensors.BitwiseEqual(model.ExportParameters(), stateDict, out string difference))
                    throw new InvalidOperationException($"ExportParameters after importing torch's state_dict differs from it: {difference}");
            }
            else
            {
                // ExportParameters -> safetensors (ours) -> PyBridge's reader -> load_state_dict, strict. Exact again.
                IReadOnlyList<NamedTensor> exported = model.ExportParameters();
                Safetensors.Write(path, exported, new Dictionary<string, string> { ["format"] = "pt" });
                Dictionary<string, Tensor> loaded = TorchSharp.PyBridge.Safetensors.LoadStateDict(path);
                twin.Module.load_state_dict(loaded, strict: true);
                if (!Tensors.BitwiseEqual(Tensors.Named(twin.Module.state_dict()), exported, out string difference))
                    throw new InvalidOperationException($"torch's state_dict after load_state_dict of our ExportParameters differs from it: {difference}");
            }
        }
        finally
        {
            File.Delete(path);
        }

        fault?.AfterImport?.Invoke(model);

        // The data: input (or token ids), initial state, output gradient.
        int batch = draw.Batch, steps = draw.Steps;
        var random = new Random(draw.DataSeed);
        float[] input = declaration.TokenInput ? Array.Empty<float>() : Uniform(random, batch * steps * model.InputSize, 1.0);
        int[] tokens = declaration.TokenInput
            ? Enumerable.Range(0, batch * steps).Select(_ => random.Next(((EmbeddingLayer)declaration.Layers[0]).Vocabulary)).ToArray()
            : Array.Empty<int>();
        var h0 = new List<float[]>();
        var c0 = new List<float[]>();
        if (draw.InitialState)
        {
            foreach (RecurrentLayer r in declaration.Recurrent)
            {
                h0.Add(Uniform(random, r.StatePerSequence * batch, 0.5));
                if (r.Cell == Cell.Lstm) c0.Add(Uniform(random, r.StatePerSequence * batch, 0.5));
            }
        }

        int outputLength = model.OutputPerSequence ? batch * model.OutputSize : batch * steps * model.OutputSize;
        float[] outputGradient = Uniform(random, outputLength, 1.0);
        float[] warmInput = declaration.TokenInput || !carriedState ? Array.Empty<float>() : Uniform(random, input.Length, 1.0);
        int[] warmTokens = declaration.TokenInput && carriedState ? tokens.Select(_ => random.Next(((EmbeddingLayer)declaration.Layers[0]).Vocabulary)).ToArray() : Array.Empty<int>();

        // Ours.
        float[] output = new float[outputLength];
        float[] hN = new float[batch * model.StateSize], cN = new float[batch * model.CellStateSize];
        float[] inputGradient = new float[input.Length];
        if (draw.InitialState) model.SetInitialState(h0.SelectMany(h => h).ToArray(), c0.SelectMany(c => c).ToArray());
        model.ZeroGradients();
        if (carriedState)
        {
            model.Stateful = true;
            float[] warmOutput = new float[outputLength];
            if (model is ITokenSequenceModel warmTokenModel)
                warmTokenModel.Forward(warmTokens, batch, steps, warmOutput, draw.Lengths, training: false);
            else
                ((IFloatSequenceModel)model).Forward(warmInput, batch, steps, warmOutput, draw.Lengths, training: false);
        }

        if (model is ITokenSequenceModel tokenModel)
            tokenModel.Forward(tokens, batch, steps, output, draw.Lengths, training);
        else
            ((IFloatSequenceModel)model).Forward(input, batch, steps, output, draw.Lengths, training);
        model.GetFinalState(hN, cN);
        IReadOnlyList<NamedTensor> gradients = Array.Empty<NamedTensor>();
        if (training)
        {
            float[] ourOutputGradient = (float[])outputGradient.Clone();
            fault?.OurOutputGradient?.Invoke(ourOutputGradient);
            model.Backward(ourOutputGradient, inputGradient);
            gradients = model.ExportGradients();
        }

        // libtorch.
        Tensor x = declaration.TokenInput
            ? Tensors.FromTokens(tokens, batch, steps)
            : Tensors.From(input, batch, steps, model.InputSize).requires_grad_(training);
        List<Tensor>? torchH0 = null, torchC0 = null;
        if (draw.InitialState)
        {
            var recurrent = declaration.Recurrent.ToList();
            torchH0 = recurrent.Select((r, i) => Tensors.From(h0[i], r.Layers * r.Directions, batch, r.Hidden)).ToList();
            var lstms = recurrent.Where(r => r.Cell == Cell.Lstm).ToList();
            torchC0 = lstms.Select((r, i) => Tensors.From(c0[i], r.Layers * r.Directions, batch, r.Hidden)).ToList();
        }

        if (carriedState)
        {
            using (torch.no_grad())
            {
                Tensor warmX = declaration.TokenInput ? Tensors.FromTokens(warmTokens, batch, steps) : Tensors.From(warmInput, batch, steps, model.InputSize);
                TwinResult warm = twin.Forward(warmX, draw.Lengths, null, null);
                torchH0 = warm.FinalH.Select(h => h.detach()).ToList();
                torchC0 = warm.FinalC.Select(c => c.detach()).ToList();
            }
        }

        TwinResult expected = twin.Forward(x, draw.Lengths, torchH0, torchC0);
        if (training) expected.Output.backward(new[] { Tensors.From(outputGradient, expected.Output.shape) });

        var results = new List<QuantityResult>();
        results.Add(Comparison.Forward("output", output, Tensors.Floats(expected.Output)));
        if (model.StateSize > 0)
            results.Add(Comparison.Forward("h_n", hN, expected.FinalH.SelectMany(Tensors.Floats).ToArray()));
        if (model.CellStateSize > 0)
            results.Add(Comparison.Forward("c_n", cN, expected.FinalC.SelectMany(Tensors.Floats).ToArray()));

        if (!training) return new CaseReport(declaration, draw, results, model.KernelPath);

        // A parameter that took no part in the loss has no grad in torch: its gradient is zero.
        var torchGradients = twin.Module.named_parameters().ToDictionary(p => p.name,
            p => p.parameter.grad is { } g ? Tensors.Floats(g) : new float[p.parameter.numel()]);
        var scales = Comparison.CellScales(torchGradients.Select(kv => (kv.Key, kv.Value)));
        foreach (NamedTensor gradient in gradients)
        {
            float[] expectedGradient = torchGradients.GetValueOrDefault(gradient.Name) ?? Array.Empty<float>();
            results.Add(Comparison.Gradient("d " + gradient.Name, gradient.Data, expectedGradient, scales[Comparison.CellOf(gradient.Name)]));
        }

        if (!declaration.TokenInput)
        {
            float[] expectedInputGradient = Tensors.Floats(x.grad!);
            results.Add(Comparison.Gradient("d input", inputGradient, expectedInputGradient, expectedInputGradient.Max(Math.Abs)));
        }

        return new CaseReport(declaration, draw, results, model.KernelPath);
    }

    public static float[] Uniform(Random random, int count, double scale)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return values;
    }
}

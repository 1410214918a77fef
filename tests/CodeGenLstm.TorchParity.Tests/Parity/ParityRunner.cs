using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodeGenLstm.TorchParity.Tests.Declarations;
using CodeGenLstm.TorchParity.Tests.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace CodeGenLstm.TorchParity.Tests.Parity;

/// <summary>
/// Deliberate faults injected into one side only, to show that the comparisons catch them:
/// <paramref name="AfterImport"/> and <paramref name="OurOutputGradient"/> change ours;
/// <paramref name="PeerFloat32Output"/> changes libtorch's float32 output (not its float64 twin), as a
/// peer that is wrong on the machine would, to show that the peer's self-check catches it.
/// </summary>
public sealed record Fault(string Description, Action<ISequenceModel>? AfterImport = null, Action<float[]>? OurOutputGradient = null,
    Action<float[]>? PeerFloat32Output = null);

/// <summary>Which side initialises the weights, and which way they travel.</summary>
public enum Direction
{
    /// <summary>libtorch initialises; state_dict -> our Safetensors.Write -> our Safetensors.Read -> ImportParameters.</summary>
    TorchToOurs,

    /// <summary>We initialise; ExportParameters -> our Safetensors.Write -> TorchSharp.PyBridge's reader -> load_state_dict(strict).</summary>
    OursToTorch,
}

/// <summary>
/// Everything one case compared, and what it ran on. <see cref="Results"/> compare ours with the oracle:
/// libtorch in float32 when it agrees with its own float64 twin on every quantity of the case
/// (<see cref="PeerSelfCheck"/>), else that float64 twin, and <see cref="PeerDefect"/> says why.
/// </summary>
public sealed record CaseReport(Declaration Model, CaseDraw Draw, IReadOnlyList<QuantityResult> Results, string KernelPath,
    IReadOnlyList<QuantityResult> PeerSelfCheck, string? PeerDefect)
{
    public bool Passed => Results.All(r => r.Passed);

    /// <summary>What ours was compared with.</summary>
    public string Oracle => PeerDefect is null ? "libtorch float32" : "libtorch float64 (its float32 is wrong here)";

    public string Describe() =>
        $"{Model.Name}, {Draw}, our kernels: {KernelPath}, compared with {Oracle}{Environment.NewLine}" +
        (PeerDefect is null ? "" : "PEER DEFECT: " + PeerDefect + Environment.NewLine) +
        $"{Comparison.Describe(Results)}{Environment.NewLine}libtorch float32 against its float64 twin:{Environment.NewLine}{Comparison.Describe(PeerSelfCheck)}";
}

/// <summary>
/// One parity case. The weights come from one side and go to the other through safetensors (see
/// <see cref="Direction"/>), and must arrive bit for bit; then both run forward (training) and backward
/// on the same input, initial state and output gradient, and the output, every final state, every
/// parameter gradient and the input gradient are compared within <see cref="Bounds"/>.
/// </summary>
/// <remarks>
/// libtorch is an oracle only where it agrees with itself: every case also runs a float64 copy of the twin
/// (the same weights, widened exactly) on the same data. Where libtorch's float32 result differs from its
/// float64 result beyond the same <see cref="Bounds"/> that ours must meet, libtorch is wrong on this machine
/// (libtorch 2.10's float32 LSTM under no_grad, its oneDNN inference path, is on AMD Zen 5): the case says so,
/// naming the path, the machine and the error, and compares ours with the float64 twin instead. So a peer's
/// defect neither fails our tests nor hides: ours are still held to the same bounds, against an exact oracle.
/// </remarks>
public static class ParityRunner
{
    /// <param name="training">False: inference only (torch in eval mode, our Forward with training: false), no backward.</param>
    /// <param name="noGrad">With training false: libtorch runs under torch.no_grad(), as a PyTorch user runs inference (for
    /// LSTM this is libtorch's oneDNN inference path); without it, in eval mode with grad enabled.</param>
    /// <param name="scalarKernels">Run our scalar reference kernels instead of the vector ones.</param>
    /// <param name="carriedState">
    /// First run a warm-up chunk of the same shape (inference) on both sides; ours with Stateful = true
    /// carries its final state into the compared chunk, torch gets the warm-up's h_n / c_n (detached, computed
    /// under no_grad as a PyTorch user computes a state to carry) as h0 / c0: truncated backpropagation through
    /// time. The draw must not ask for a random initial state.
    /// </param>
    public static CaseReport Run(Declaration declaration, CaseDraw draw, Direction direction = Direction.TorchToOurs, Fault? fault = null,
        bool training = true, bool scalarKernels = false, bool carriedState = false, bool noGrad = false)
    {
        if (noGrad && training) throw new ArgumentException("no_grad is for inference", nameof(noGrad));
        if (carriedState && draw.InitialState) throw new ArgumentException("a carried state replaces the initial state", nameof(carriedState));
        if (training && declaration.HasDropout)
            throw new ArgumentException("dropout masks are random on both sides: compare such a model in inference only", nameof(training));
        TorchSetup.Ensure();
        using var scope = torch.NewDisposeScope();
        using TorchTwin twin = TorchTwin.Create(declaration, draw.Seed);
        ISequenceModel model = declaration.CreateModel(draw.Seed);
        model.UseScalarKernels = scalarKernels;
        ExchangeWeights(twin, model, direction);
        using TorchTwin twin64 = twin.Float64Copy(draw.Seed);
        fault?.AfterImport?.Invoke(model);

        CaseData data = CaseData.Draw(declaration, model, draw, carriedState);
        OurSide ours = RunOurs(model, data, draw, training, carriedState, fault);
        TorchSide torch32 = TorchSide.Run(twin, ScalarType.Float32, data, draw.Lengths, training, noGrad);
        TorchSide torch64 = TorchSide.Run(twin64, ScalarType.Float64, data, draw.Lengths, training, noGrad);
        fault?.PeerFloat32Output?.Invoke(torch32.Output);

        // Is libtorch's float32 an oracle here? Every quantity against its float64 twin, within our own bounds.
        List<QuantityResult> selfCheck = Compare(torch32, torch64, torch64, declaration.TokenInput);
        List<QuantityResult> failed = selfCheck.Where(r => !r.Passed).ToList();
        string? defect = failed.Count == 0 ? null : DescribeDefect(declaration, training, noGrad, failed);
        TorchSide oracle = defect is null ? torch32 : torch64;

        var results = Compare(ours.AsTorchSide(), oracle, oracle, declaration.TokenInput);
        return new CaseReport(declaration, draw, results, model.KernelPath, selfCheck, defect);
    }

    /// <summary>The weights travel one way through safetensors and must arrive bit for bit.</summary>
    private static void ExchangeWeights(TorchTwin twin, ISequenceModel model, Direction direction)
    {
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
    }

    /// <summary>Names the peer's defect: which path, on which machine, by how much.</summary>
    private static string DescribeDefect(Declaration declaration, bool training, bool noGrad, IReadOnlyList<QuantityResult> failed)
    {
        bool warmUpOnly = failed.All(r => r.Name.StartsWith("warm-up", StringComparison.Ordinal));
        string path = failed.Any(r => r.Name.StartsWith("warm-up", StringComparison.Ordinal))
            ? "its inference path under no_grad() (the warm-up chunk" + (warmUpOnly ? ")" : ", and so the chunk that starts from its state)")
            : training ? "its training path (grad enabled)" : noGrad ? "its inference path under no_grad()" : "its inference path (eval, grad enabled)";
        QuantityResult worst = failed.MaxBy(r => r.WorstRatio)!;
        string cells = string.Join(", ", declaration.Recurrent.Select(r => r.Cell).Distinct());
        return $"libtorch {TorchSetup.Version} float32 ({cells}) disagrees with its own float64 on this machine, in {path}: " +
               $"{failed.Count} quantities beyond the bounds, worst {worst.Name} max |float32 - float64| {worst.MaxAbsolute:E2} " +
               $"({worst.WorstRatio:F0}x the bound); machine: {TestSupport.Machine.Description}. Ours was compared with libtorch's float64 instead.";
    }

    /// <summary>
    /// Every quantity of <paramref name="side"/> against <paramref name="expected"/>; gradient bounds scale with the
    /// largest gradient of each cell in <paramref name="scales"/>.
    /// </summary>
    private static List<QuantityResult> Compare(TorchSide side, TorchSide expected, TorchSide scales, bool tokenInput)
    {
        var results = new List<QuantityResult>();
        if (expected.WarmH.Length > 0) results.Add(Comparison.Forward("warm-up h_n", side.WarmH, expected.WarmH));
        if (expected.WarmC.Length > 0) results.Add(Comparison.Forward("warm-up c_n", side.WarmC, expected.WarmC));
        results.Add(Comparison.Forward("output", side.Output, expected.Output));
        if (expected.FinalH.Length > 0) results.Add(Comparison.Forward("h_n", side.FinalH, expected.FinalH));
        if (expected.FinalC.Length > 0) results.Add(Comparison.Forward("c_n", side.FinalC, expected.FinalC));
        if (expected.Gradients is null) return results;

        var cellScales = Comparison.CellScales(scales.Gradients!.Select(kv => (kv.Key, kv.Value)));
        foreach ((string name, float[] gradient) in side.Gradients!)
        {
            float[] expectedGradient = expected.Gradients.GetValueOrDefault(name) ?? Array.Empty<float>();
            results.Add(Comparison.Gradient("d " + name, gradient, expectedGradient, cellScales.GetValueOrDefault(Comparison.CellOf(name))));
        }

        if (!tokenInput)
            results.Add(Comparison.Gradient("d input", side.InputGradient, expected.InputGradient, scales.InputGradient.Max(Math.Abs)));
        return results;
    }

    private static OurSide RunOurs(ISequenceModel model, CaseData data, CaseDraw draw, bool training, bool carriedState, Fault? fault)
    {
        int batch = draw.Batch, steps = draw.Steps;
        float[] output = new float[data.OutputGradient.Length];
        float[] hN = new float[batch * model.StateSize], cN = new float[batch * model.CellStateSize];
        float[] warmH = Array.Empty<float>(), warmC = Array.Empty<float>();
        float[] inputGradient = new float[data.Input.Length];
        if (draw.InitialState) model.SetInitialState(data.H0.SelectMany(h => h).ToArray(), data.C0.SelectMany(c => c).ToArray());
        model.ZeroGradients();
        if (carriedState)
        {
            model.Stateful = true;
            Forward(model, data.WarmInput, data.WarmTokens, batch, steps, new float[output.Length], draw.Lengths, training: false);
            warmH = new float[hN.Length];
            warmC = new float[cN.Length];
            model.GetFinalState(warmH, warmC);
        }

        Forward(model, data.Input, data.Tokens, batch, steps, output, draw.Lengths, training);
        model.GetFinalState(hN, cN);
        IReadOnlyList<NamedTensor>? gradients = null;
        if (training)
        {
            float[] ourOutputGradient = (float[])data.OutputGradient.Clone();
            fault?.OurOutputGradient?.Invoke(ourOutputGradient);
            model.Backward(ourOutputGradient, data.Input.Length > 0 ? inputGradient : default);
            gradients = model.ExportGradients();
        }

        return new OurSide(output, hN, cN, warmH, warmC, gradients, inputGradient);
    }

    private static void Forward(ISequenceModel model, float[] input, int[] tokens, int batch, int steps, float[] output, int[]? lengths, bool training)
    {
        if (model is ITokenSequenceModel tokenModel)
            tokenModel.Forward(tokens, batch, steps, output, lengths, training);
        else
            ((IFloatSequenceModel)model).Forward(input, batch, steps, output, lengths, training);
    }

    public static float[] Uniform(Random random, int count, double scale)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return values;
    }

    /// <summary>What our model computed, in the shapes libtorch's side has.</summary>
    private sealed record OurSide(float[] Output, float[] FinalH, float[] FinalC, float[] WarmH, float[] WarmC,
        IReadOnlyList<NamedTensor>? Gradients, float[] InputGradient)
    {
        public TorchSide AsTorchSide() => new(Output, FinalH, FinalC, WarmH, WarmC,
            Gradients?.ToDictionary(g => g.Name, g => g.Data), InputGradient);
    }
}

/// <summary>The data of one case, drawn once and fed to every side: input (or token ids), initial state, output gradient.</summary>
internal sealed record CaseData(Declaration Declaration, int Batch, int Steps, int InputSize, float[] Input, int[] Tokens,
    List<float[]> H0, List<float[]> C0, float[] OutputGradient, float[] WarmInput, int[] WarmTokens)
{
    public static CaseData Draw(Declaration declaration, ISequenceModel model, CaseDraw draw, bool carriedState)
    {
        int batch = draw.Batch, steps = draw.Steps;
        var random = new Random(draw.DataSeed);
        float[] input = declaration.TokenInput ? Array.Empty<float>() : ParityRunner.Uniform(random, batch * steps * model.InputSize, 1.0);
        int[] tokens = declaration.TokenInput
            ? Enumerable.Range(0, batch * steps).Select(_ => random.Next(((EmbeddingLayer)declaration.Layers[0]).Vocabulary)).ToArray()
            : Array.Empty<int>();
        var h0 = new List<float[]>();
        var c0 = new List<float[]>();
        if (draw.InitialState)
        {
            foreach (RecurrentLayer r in declaration.Recurrent)
            {
                h0.Add(ParityRunner.Uniform(random, r.StatePerSequence * batch, 0.5));
                if (r.Cell == Cell.Lstm) c0.Add(ParityRunner.Uniform(random, r.StatePerSequence * batch, 0.5));
            }
        }

        int outputLength = model.OutputPerSequence ? batch * model.OutputSize : batch * steps * model.OutputSize;
        float[] outputGradient = ParityRunner.Uniform(random, outputLength, 1.0);
        float[] warmInput = declaration.TokenInput || !carriedState ? Array.Empty<float>() : ParityRunner.Uniform(random, input.Length, 1.0);
        int[] warmTokens = declaration.TokenInput && carriedState
            ? tokens.Select(_ => random.Next(((EmbeddingLayer)declaration.Layers[0]).Vocabulary)).ToArray()
            : Array.Empty<int>();
        return new CaseData(declaration, batch, steps, model.InputSize, input, tokens, h0, c0, outputGradient, warmInput, warmTokens);
    }

    public bool CarriedState => WarmInput.Length > 0 || WarmTokens.Length > 0;
}

/// <summary>
/// What one side computed: output, h_n and c_n of every recurrent layer (concatenated in declaration order),
/// h_n / c_n after the warm-up chunk of a carried-state case, and (training) every parameter gradient by name and
/// the input gradient. libtorch's side is computed in float32 or float64 and read back as float.
/// </summary>
internal sealed record TorchSide(float[] Output, float[] FinalH, float[] FinalC, float[] WarmH, float[] WarmC,
    Dictionary<string, float[]>? Gradients, float[] InputGradient)
{
    /// <summary>Runs <paramref name="twin"/> (whose parameters are of <paramref name="dtype"/>) on the case's data.</summary>
    public static TorchSide Run(TorchTwin twin, ScalarType dtype, CaseData data, int[]? lengths, bool training, bool noGrad)
    {
        using var scope = torch.NewDisposeScope();
        using var gradMode = noGrad ? torch.no_grad() : null;
        if (!training) twin.Module.eval();
        Declaration declaration = data.Declaration;
        int batch = data.Batch, steps = data.Steps;
        Tensor Floating(float[] values, params long[] shape) => Tensors.From(values, shape).to_type(dtype);

        Tensor x = declaration.TokenInput
            ? Tensors.FromTokens(data.Tokens, batch, steps)
            : Floating(data.Input, batch, steps, data.InputSize).requires_grad_(training);
        List<Tensor>? h0 = null, c0 = null;
        if (data.H0.Count > 0)
        {
            var recurrent = declaration.Recurrent.ToList();
            h0 = recurrent.Select((r, i) => Floating(data.H0[i], r.Layers * r.Directions, batch, r.Hidden)).ToList();
            var lstms = recurrent.Where(r => r.Cell == Cell.Lstm).ToList();
            c0 = lstms.Select((r, i) => Floating(data.C0[i], r.Layers * r.Directions, batch, r.Hidden)).ToList();
        }

        float[] warmH = Array.Empty<float>(), warmC = Array.Empty<float>();
        if (data.CarriedState)
        {
            // The state to carry, computed as a PyTorch user computes it: under no_grad, then detached.
            using (torch.no_grad())
            {
                Tensor warmX = declaration.TokenInput
                    ? Tensors.FromTokens(data.WarmTokens, batch, steps)
                    : Floating(data.WarmInput, batch, steps, data.InputSize);
                TwinResult warm = twin.Forward(warmX, lengths, null, null);
                h0 = warm.FinalH.Select(h => h.detach()).ToList();
                c0 = warm.FinalC.Select(c => c.detach()).ToList();
                warmH = h0.SelectMany(Tensors.Floats).ToArray();
                warmC = c0.SelectMany(Tensors.Floats).ToArray();
            }
        }

        TwinResult result = twin.Forward(x, lengths, h0, c0);
        float[] output = Tensors.Floats(result.Output);
        float[] finalH = result.FinalH.SelectMany(Tensors.Floats).ToArray();
        float[] finalC = result.FinalC.SelectMany(Tensors.Floats).ToArray();
        if (!training) return new TorchSide(output, finalH, finalC, warmH, warmC, null, Array.Empty<float>());

        result.Output.backward(new[] { Floating(data.OutputGradient, result.Output.shape) });
        // A parameter that took no part in the loss has no grad in torch: its gradient is zero.
        var gradients = twin.Module.named_parameters().ToDictionary(p => p.name,
            p => p.parameter.grad is { } g ? Tensors.Floats(g) : new float[p.parameter.numel()]);
        float[] inputGradient = declaration.TokenInput ? Array.Empty<float>() : Tensors.Floats(x.grad!);
        return new TorchSide(output, finalH, finalC, warmH, warmC, gradients, inputGradient);
    }
}

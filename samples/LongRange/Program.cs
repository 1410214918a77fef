using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using CodeGenLstm;
using CodeGenLstm.Samples;
using LongRange;
using Spectre.Console;

// LongRange: why gated cells exist, in one run. A plain RNN and an LSTM of the same width learn two
// tasks whose answer depends on something far back (the adding problem, and subject-verb agreement
// across distracting phrases), at growing distances. Then the gradient-flow picture: how much of the
// loss's gradient reaches each step back in time. The RNN's vanishes; the LSTM's cell carries it.

const string Usage = """
    LongRange: plain RNN against LSTM on long time lags.
      dotnet run -c Release --project samples/LongRange [-- options]
    The full run (no option) trains 22 models (docs/samples.md: how long, and what it finds) and draws two pictures.
    options:
      --quick          a short run, for CI and the NativeAOT check: 100 and 60 updates per model instead of
                       3000 and 1000. It goes through every section and draws both pictures, but the models are
                       too short-trained to tell the story: neither cell solves the adding problem, the LSTM
                       loses agreement at long distances too, and little gradient reaches step 1 through either.
                       Read its numbers as a smoke test, not as results.
      --no-timing      print nothing that depends on the clock (steps/s, seconds): the output of a run is
                       then the same text every time, JIT or NativeAOT, on the same vector path
      --threads N      train up to N models at once (default: the number of cores)
      --out DIR        where to write the pictures (default: out/LongRange, or out/LongRange/quick with --quick)
      -h, --help       this text
    """;
SampleArgs options = SampleArgs.Parse(args, Usage, ["--quick", "--no-timing"], ["--threads", "--out"]);
bool quick = options.Has("--quick"), timing = !options.Has("--no-timing");
int threads = options.GetInt("--threads", Environment.ProcessorCount, min: 1);
string outFolder = SampleFiles.OutputFolder(options.Get("--out"), "LongRange", quick);
var total = Stopwatch.StartNew();
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;

int[] addingLengths = [10, 25, 50, 100];
int[] agreementDistances = [0, 10, 20, 30, 40, 50, 60];
const int FullAddingUpdates = 3000, FullAgreementUpdates = 1000;
int addingUpdates = quick ? 100 : FullAddingUpdates, agreementUpdates = quick ? 60 : FullAgreementUpdates;
const int Batch = 32;
InferencePrecision[] precisions = [InferencePrecision.Float32, InferencePrecision.BFloat16, InferencePrecision.Int8];

SampleConsole.Styled($"[bold]LongRange[/]: a plain RNN and an LSTM (32 units each) on two long-time-lag tasks.");
SampleConsole.Line($"Kernels: {Simd.ActivePath}. {(quick ? "A quick run (--quick), too short to learn much" : "Full run")}; batch {Batch}, Adam (lr 0.01), clipping at norm 1.");

// ---- 1. What the build said -------------------------------------------------------------------------
SampleConsole.Heading("1. What the analyzers said at build time");
IReadOnlyList<BuildDiagnostic>? diagnostics = BuildDiagnostics.Read("CGL");
if (diagnostics is null)
    SampleConsole.Line($"No {BuildDiagnostics.FileName} beside the program, so the build's diagnostics cannot be shown here.");
else
{
    var gradient = diagnostics.Where(d => d.Id.StartsWith("CGL1", StringComparison.Ordinal)).ToList();
    foreach (BuildDiagnostic d in diagnostics)
        SampleConsole.Line($"  {d.File}({d.Line}): {d.Level} {d.Id}: {d.Message}");
    if (gradient.Count > 0)
        SampleConsole.Line("  These come from the models' attributes alone (Models.cs), before any training: sections 3 and 4 show whether they were right.");
    if (gradient.Count == 0)
        SampleConsole.Line("""
              The build reported no gradient-stability warning (CGL1xxx). This build's analyzers check the
              configuration only (CGL0xxx); the gradient analyzers are on their way, and when they arrive their
              warnings for AddingRnn and AgreementRnn (a plain RNN over 100 and 62 steps, Models.cs) appear
              here, as in the build output and the IDE. The training below is the evidence they rest on.
            """);
}

// ---- 2. Training -------------------------------------------------------------------------------------
SampleConsole.Heading("2. Training");
SampleConsole.Line("One fresh model per task, cell and distance:");
SampleConsole.Line($"- adding problem: trained on sequences of T = {string.Join(", ", addingLengths)} steps, {addingUpdates} updates each;");
SampleConsole.Line($"- agreement, \"the writer of the old books near the tables ... is/are\": trained on sentences with 0 to d words");
SampleConsole.Line($"  between subject and verb, d = {string.Join(", ", agreementDistances)}, {agreementUpdates} updates each, then tested at d.");
var example = new List<string>();
Agreement.Sentence(new Rng(3), 9, new int[64], out int exampleLabel, example);
SampleConsole.Line($"  for example: \"{string.Join(' ', example)} [{(exampleLabel == 0 ? "is" : "are")}]\" (distance 9)");

// One model per task, cell and distance, each trained on its distance only: can it learn to bridge it?
var addingLstms = new IFloatSequenceModel[addingLengths.Length];
var addingRnns = new IFloatSequenceModel[addingLengths.Length];
var agreementLstms = new ITokenSequenceModel[agreementDistances.Length];
var agreementRnns = new ITokenSequenceModel[agreementDistances.Length];
TrainingProgress.Run(
[
    // Longest first: the two cores each take the next job when free.
    Curriculum("LSTM adding", addingLengths, addingUpdates, addingLstms, () => new AddingLstm(seed: 1), AddingStep),
    Curriculum("LSTM agreement", agreementDistances, agreementUpdates, agreementLstms, () => new AgreementLstm(seed: 1), AgreementStep),
    Curriculum("RNN adding", addingLengths, addingUpdates, addingRnns, () => new AddingRnn(seed: 1), AddingStep),
    Curriculum("RNN agreement", agreementDistances, agreementUpdates, agreementRnns, () => new AgreementRnn(seed: 1), AgreementStep),
], timing, threads);
IFloatSequenceModel addingLstm = addingLstms[^1], addingRnn = addingRnns[^1];
// The gradient flow at initialisation is measured on untrained twins.
var addingLstmInitial = new AddingLstm(seed: 1);
var addingRnnInitial = new AddingRnn(seed: 1);

// A bar that trains one fresh model per distance, one after the other.
TrainingJob Curriculum<TModel>(string name, int[] distances, int updatesEach, TModel[] trained, Func<TModel> create,
                               Func<TModel, int, Func<float>> stepper)
{
    Func<float> step = () => 0f;
    return new TrainingJob($"{name} ({distances[0]}-{distances[^1]})", distances.Length * updatesEach, i =>
    {
        if (i % updatesEach == 0)
        {
            int k = i / updatesEach;
            trained[k] = create();
            step = stepper(trained[k], distances[k]);
        }
        return step();
    });
}

Func<float> AddingStep(IFloatSequenceModel model, int steps)
{
    var random = new Rng(7);
    var trainer = new Trainer(model, new Adam(model.ParameterCount, learningRate: 1e-2f), clipNorm: 1f);
    float[] input = new float[Batch * steps * 2], target = new float[Batch], output = new float[Batch], gradient = new float[Batch];
    return () =>
    {
        AddingProblem.Fill(random, input, target, Batch, steps);
        return trainer.Step(() =>
        {
            model.Forward(input, Batch, steps, output, training: true);
            float loss = Loss.MeanSquaredError(output, target, gradient);
            model.Backward(gradient);
            return loss;
        }).Loss;
    };
}

// Agreement is learned from sentences of every distance up to the model's: long sentences alone give
// no foothold to either cell, a mix of short and long ones is how language comes.
Func<float> AgreementStep(ITokenSequenceModel model, int maxDistance)
{
    var random = new Rng(8);
    var trainer = new Trainer(model, new Adam(model.ParameterCount, learningRate: 1e-2f), clipNorm: 1f);
    int maxSteps = maxDistance + 2;
    int[] sentences = new int[Batch * maxSteps], tokens = new int[Batch * maxSteps], lengths = new int[Batch], labels = new int[Batch];
    float[] logits = new float[Batch * 2], gradient = new float[Batch * 2];
    return () =>
    {
        // A padded batch: each sentence has its own length, and the model reads each to its last word.
        int steps = 0;
        for (int b = 0; b < Batch; b++)
        {
            int distance = Agreement.RandomDistance(random, maxDistance);
            lengths[b] = Agreement.Sentence(random, distance, sentences.AsSpan(b * maxSteps, maxSteps), out labels[b]);
            steps = Math.Max(steps, lengths[b]);
        }
        Array.Clear(tokens);
        for (int b = 0; b < Batch; b++)
            sentences.AsSpan(b * maxSteps, lengths[b]).CopyTo(tokens.AsSpan(b * steps));
        return trainer.Step(() =>
        {
            model.Forward(tokens.AsSpan(0, Batch * steps), Batch, steps, logits, lengths, training: true);
            float loss = Loss.SoftmaxCrossEntropy(logits, labels, 2, gradient);
            model.Backward(gradient);
            return loss;
        }).Loss;
    };
}

// ---- 3. Accuracy against distance ---------------------------------------------------------------------
SampleConsole.Heading("3. Accuracy against distance (fresh test sequences)");
const int TestCount = 500;
var addingTable = SampleTables.Create("steps T", "LSTM solved", "LSTM MSE", "RNN solved", "RNN MSE");
double[] addingLstmSolved = new double[addingLengths.Length], addingRnnSolved = new double[addingLengths.Length];
for (int i = 0; i < addingLengths.Length; i++)
{
    int steps = addingLengths[i];
    (addingLstmSolved[i], double lstmMse) = EvaluateAdding(addingLstms[i], steps);
    (addingRnnSolved[i], double rnnMse) = EvaluateAdding(addingRnns[i], steps);
    addingTable.AddRow($"{steps}", $"{addingLstmSolved[i]:P1}", $"{lstmMse:F4}", $"{addingRnnSolved[i]:P1}", $"{rnnMse:F4}");
}
SampleConsole.Line("Adding problem: share of sequences answered within 0.04 of the sum; MSE (always answering 1: 0.1767).");
SampleTables.Write(addingTable);
SampleConsole.Line();

var agreementTable = SampleTables.Create("distance", "LSTM accuracy", "RNN accuracy");
double[] agreementLstmAccuracy = new double[agreementDistances.Length], agreementRnnAccuracy = new double[agreementDistances.Length];
for (int i = 0; i < agreementDistances.Length; i++)
{
    agreementLstmAccuracy[i] = EvaluateAgreement(agreementLstms[i], agreementDistances[i]);
    agreementRnnAccuracy[i] = EvaluateAgreement(agreementRnns[i], agreementDistances[i]);
    agreementTable.AddRow($"{agreementDistances[i]}", $"{agreementLstmAccuracy[i]:P1}", $"{agreementRnnAccuracy[i]:P1}");
}
SampleConsole.Line("Agreement: share of sentences given the right verb (chance: 50%), by words between subject and verb.");
SampleTables.Write(agreementTable);

// The same test sequences with the trained models' recurrent weights (weight_hh) in bfloat16 and int8
// (InferencePrecision): what reduced-precision inference costs each model, in its own measure.
SampleConsole.Line();
SampleConsole.Line("Reduced-precision inference: the same test sequences with weight_hh in bfloat16 and in int8 (InferencePrecision).");
var precisionTable = SampleTables.Create("model", "float32", "bfloat16", "int8", "largest change");
double largestChange = 0;
for (int i = 0; i < addingLengths.Length; i++)
    foreach ((string cell, IFloatSequenceModel model) in new[] { ("LSTM", addingLstms[i]), ("RNN", addingRnns[i]) })
    {
        var results = precisions.Select(p => WithPrecision(model, p, () => EvaluateAdding(model, addingLengths[i]))).ToArray();
        double change = results.Skip(1).Max(r => Math.Abs(r.Solved - results[0].Solved));
        largestChange = Math.Max(largestChange, change);
        precisionTable.AddRow([$"adding T = {addingLengths[i]}, {cell}", .. results.Select(r => $"{r.Solved:P1}, MSE {r.Mse:F4}"), $"{change * 100:0.0} points"]);
    }
for (int i = 0; i < agreementDistances.Length; i++)
    foreach ((string cell, ITokenSequenceModel model) in new[] { ("LSTM", agreementLstms[i]), ("RNN", agreementRnns[i]) })
    {
        double[] results = precisions.Select(p => WithPrecision(model, p, () => EvaluateAgreement(model, agreementDistances[i]))).ToArray();
        double change = results.Skip(1).Max(r => Math.Abs(r - results[0]));
        largestChange = Math.Max(largestChange, change);
        precisionTable.AddRow([$"agreement d = {agreementDistances[i]}, {cell}", .. results.Select(r => $"{r:P1}"), $"{change * 100:0.0} points"]);
    }
SampleTables.Write(precisionTable);
SampleConsole.Line();
SampleConsole.Line($"Largest change of a share against float32, over the {2 * (addingLengths.Length + agreementDistances.Length)} models: {largestChange * 100:0.0} points.");

// Runs evaluate with the model's inference calls at the given precision, and puts float32 back.
static T WithPrecision<T>(ISequenceModel model, InferencePrecision precision, Func<T> evaluate)
{
    model.InferencePrecision = precision;
    try
    {
        return evaluate();
    }
    finally
    {
        model.InferencePrecision = InferencePrecision.Float32;
    }
}

(double Solved, double Mse) EvaluateAdding(IFloatSequenceModel model, int steps)
{
    float[] x = new float[TestCount * steps * 2], target = new float[TestCount], y = new float[TestCount];
    AddingProblem.Fill(new Rng(1000 + steps), x, target, TestCount, steps);
    model.Forward(x, TestCount, steps, y);
    int solved = 0;
    for (int i = 0; i < TestCount; i++)
        if (MathF.Abs(y[i] - target[i]) < AddingProblem.Tolerance) solved++;
    return ((double)solved / TestCount, Loss.MeanSquaredError(y, target, default));
}

double EvaluateAgreement(ITokenSequenceModel model, int distance)
{
    var random = new Rng(2000 + distance);
    int steps = distance + 2;
    int[] tokens = new int[TestCount * steps], labels = new int[TestCount];
    for (int b = 0; b < TestCount; b++)
        Agreement.Sentence(random, distance, tokens.AsSpan(b * steps, steps), out labels[b]);
    float[] logits = new float[TestCount * 2];
    model.Forward(tokens, TestCount, steps, logits);
    return Loss.Accuracy(logits, labels, 2);
}

// ---- 4. Gradient flow ----------------------------------------------------------------------------------
SampleConsole.Heading("4. Gradient flow: how much of the loss's gradient reaches step t");
const int FlowSteps = 100, FlowBatch = 64;
var profiles = new (string Name, IFloatSequenceModel Model)[]
{
    ("LSTM, trained", addingLstm), ("RNN, trained", addingRnn),
    ("LSTM, initial", addingLstmInitial), ("RNN, initial", addingRnnInitial),
};
var flows = new double[profiles.Length][];
for (int p = 0; p < profiles.Length; p++)
    flows[p] = GradientFlow(profiles[p].Model);
SampleConsole.Line($"||dL/dh_t|| / ||dL/dh_T|| on a batch of {FlowBatch} adding problems of T = {FlowSteps} steps (StepGradientNorms after Backward):");
var flowTable = SampleTables.Create(["step t", .. profiles.Select(p => p.Name)]);
foreach (int t in new[] { 100, 90, 75, 50, 25, 10, 1 })
    flowTable.AddRow([$"{t}", .. flows.Select(f => $"{f[t - 1]:0.0E+0}")]);
SampleTables.Write(flowTable);

double[] GradientFlow(IFloatSequenceModel model)
{
    float[] x = new float[FlowBatch * FlowSteps * 2], target = new float[FlowBatch], y = new float[FlowBatch], dy = new float[FlowBatch];
    AddingProblem.Fill(new Rng(4242), x, target, FlowBatch, FlowSteps);
    model.ZeroGradients();
    model.Forward(x, FlowBatch, FlowSteps, y, training: true);
    Loss.MeanSquaredError(y, target, dy);
    model.Backward(dy);
    ReadOnlySpan<float> norms = model.StepGradientNorms;
    double last = norms[FlowSteps - 1];
    var relative = new double[FlowSteps];
    for (int t = 0; t < FlowSteps; t++) relative[t] = last > 0 ? norms[t] / last : 0;
    return relative;
}

// ---- 5. Pictures and summary -------------------------------------------------------------------------
string flowPng = Path.Combine(outFolder, "gradient-flow.png"), accuracyPng = Path.Combine(outFolder, "accuracy-vs-distance.png");
LongRangePlots.GradientFlow(flowPng, profiles.Select(p => p.Name).ToArray(), flows, FlowSteps, quick);
LongRangePlots.Accuracy(accuracyPng, addingLengths, addingLstmSolved, addingRnnSolved, agreementDistances, agreementLstmAccuracy, agreementRnnAccuracy, quick);

SampleConsole.Heading("Summary");
double lstmReach = flows[0][0], rnnReach = flows[1][0];
int longest = agreementDistances.Length - 1;
SampleConsole.Line($"- Adding problem, T = {addingLengths[^1]}: the LSTM solves {addingLstmSolved[^1]:P0} of the sequences, the RNN {addingRnnSolved[^1]:P0}.");
SampleConsole.Line($"- Agreement across {agreementDistances[longest]} words: the LSTM is right {agreementLstmAccuracy[longest]:P0} of the time, the RNN {agreementRnnAccuracy[longest]:P0} (chance 50%).");
SampleConsole.Line($"- Of the gradient at the last step, {lstmReach:0.0E+0} reaches step 1 through the trained LSTM, {rnnReach:0.0E+0} through the trained RNN.");
SampleConsole.Line($"Pictures: {SampleFiles.Show(flowPng)}, {SampleFiles.Show(accuracyPng)}.");
if (quick)
{
    SampleConsole.Line($"""
        This was a quick run (--quick): {addingUpdates} and {agreementUpdates} updates per model (the full run: {FullAddingUpdates} and {FullAgreementUpdates}) are too
        few for either cell to learn the adding problem or agreement across long distances. These numbers show that the
        sample works, not what it finds: run it without --quick for that (docs/samples.md shows a full run's output).
        """);
    if (options.Get("--out") is null)
        SampleConsole.Line($"A quick run's pictures go to {SampleFiles.DefaultFolder("LongRange", quick: true)}, apart from a full run's in {SampleFiles.DefaultFolder("LongRange", quick: false)}.");
}
if (timing)
    SampleConsole.Line($"Took {total.Elapsed.TotalSeconds:F0} s.");

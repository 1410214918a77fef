using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CharLm;
using CodeGenLstm;
using CodeGenLstm.Samples;
using ScottPlot;

// CharLm: char-rnn (Karpathy 2015) in C#. A 2-layer LSTM reads text a character at a time and learns
// to predict the next one: truncated backpropagation through time with the state carried across
// chunks (Stateful), Adam, gradient clipping, a safetensors checkpoint that resumes exactly (weights,
// optimizer state, carried state, position), and sampling at a temperature.

const string Usage = """
    CharLm: a character-level LSTM language model (char-rnn).
      dotnet run -c Release --project samples/CharLm [-- options]
    options:
      --data PATH      a text file (default: a small play generated in code);
                       the real one: ../shared/data/tinyshakespeare.txt
      --minutes M      training time (default 2)
      --steps N        stop after N updates instead (whichever comes first)
      --quick          a short run for CI: 40 updates and a small validation, enough to check that training,
                       the checkpoint and sampling work, far too few to learn (the samples are noise)
      --resume         continue from the checkpoint in the output folder
      --temperature T  sample at T (default: 0.5 and 1.0)
      --replicas N     split each batch over N model replicas trained at once, one per core
                       (default: 2 on a machine with 2 cores or more; N must divide the batch, 32)
      --out DIR        checkpoint, picture (default: out/CharLm, or out/CharLm/quick with --quick)
      -h, --help       this text
    """;
SampleArgs options = SampleArgs.Parse(args, Usage, ["--quick", "--resume"], ["--data", "--minutes", "--steps", "--temperature", "--replicas", "--out"]);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
bool quick = options.Has("--quick");
double minutes = options.GetNumber("--minutes", quick ? 10 : 2, min: 0);
long maxSteps = options.GetLong("--steps", quick ? 40 : long.MaxValue, min: 1);
double? onlyTemperature = options.Get("--temperature") is null ? null : options.GetNumber("--temperature", 1, min: 0.01);
string? dataPath = options.GetExistingPath("--data");
string outFolder = SampleFiles.OutputFolder(options.Get("--out"), "CharLm", quick);
string checkpointPath = Path.Combine(outFolder, "checkpoint.safetensors");
if (options.Has("--resume") && !File.Exists(checkpointPath))
    options.Fail($"--resume: no checkpoint at {SampleFiles.Show(checkpointPath)} yet: a run without --resume writes one (every minute and at the end).", showUsage: false);
const int Batch = 32, Steps = 64, V = Characters.Count;
int replicas = options.GetInt("--replicas", Math.Min(2, Environment.ProcessorCount), min: 1);
if (Batch % replicas != 0) options.Fail($"--replicas must divide the batch, {Batch}: 1, 2, 4, 8, 16 or 32, not {replicas}.");
int perReplica = Batch / replicas;

// ---- Data ---------------------------------------------------------------------------------------------
string text = dataPath is null ? GeneratedCorpus.Create(200_000) : File.ReadAllText(dataPath);
int[] ids = Characters.Encode(text, out int replaced);
int split = (int)(ids.Length * 0.9);
int[] train = ids[..split], valid = ids[split..];
if (quick) valid = valid[..Math.Min(valid.Length, Batch * Steps * 4 + 1)];
SampleConsole.Styled("[bold]CharLm[/]: char-rnn in C#, a 2-layer LSTM (128 units) over characters.");
SampleConsole.Line($"Data: {(dataPath is null ? "a play generated in code (--data PATH for a real text)" : dataPath)}: {ids.Length:N0} characters, "
                   + $"{train.Length:N0} for training, {valid.Length:N0} held out{(replaced > 0 ? $", {replaced} outside the 96-character vocabulary shown as '?'" : "")}.");
SampleConsole.Line($"Kernels: {Simd.ActivePath}. {CharModel.ParameterCount:N0} parameters; batch {Batch} streams x {Steps} characters"
                   + $"{(replicas > 1 ? $" on {replicas} replicas" : "")}; Adam 2e-3, clip 5.");

// ---- Model, optimizer, resume -------------------------------------------------------------------------
// Data parallelism: each replica runs its share of the streams on its own core (instances share
// nothing); their gradients are averaged into the first, which the optimizer steps; the others copy
// its weights back.
var models = new CharModel[replicas];
for (int r = 0; r < replicas; r++) models[r] = new CharModel(seed: 1) { Stateful = true };
CharModel model = models[0];
var adam = new Adam(CharModel.ParameterCount, learningRate: 2e-3f);
var trainer = new Trainer(model, adam, clipNorm: 5f);
int streamLength = (train.Length - 1) / Batch;        // each of the Batch streams reads its own contiguous slice
int chunksPerEpoch = streamLength / Steps;
long chunk = 0;                                        // chunks done, over all epochs
if (options.Has("--resume"))
{
    chunk = Checkpoint.Load(checkpointPath, models, adam);
    SampleConsole.Line($"Resumed from {SampleFiles.Show(checkpointPath)}: update {adam.StepCount}, epoch {chunk / chunksPerEpoch + 1}, chunk {chunk % chunksPerEpoch + 1} of {chunksPerEpoch}.");
}

int[] tokens = new int[Batch * Steps], targets = new int[Batch * Steps];
float[] logits = new float[Batch * Steps * V], losses = new float[replicas];
var history = new List<(double Chars, double Train, double Valid)>();
double startChars = adam.StepCount * (double)Batch * Steps;
var clock = Stopwatch.StartNew();
// The held-out loss (and a checkpoint) every minute, or every tenth of a shorter time budget, so that even the
// default 2-minute run draws a curve; a quick run measures after each quarter of its updates instead (by count, not
// by the clock, so that it does the same work on any machine).
double evaluationSeconds = Math.Min(60, minutes * 6);
double nextEvaluation = quick ? double.MaxValue : evaluationSeconds;
long evaluateEveryUpdates = quick && maxSteps < long.MaxValue ? Math.Max(1, maxSteps / 4) : long.MaxValue;
float validLoss = float.NaN;

// A quick run's 10 minutes are a guard only: it stops at its 40 updates.
bool minutesMatter = !quick || options.Get("--minutes") is not null;
SampleConsole.Heading("Training for " + (maxSteps == long.MaxValue ? $"{minutes:0.#} minutes"
    : minutesMatter ? $"{maxSteps} updates or {minutes:0.#} minutes, whichever comes first" : $"{maxSteps} updates"));
TrainingProgress.Show(timing: true, board =>
{
    ProgressBar bar = board.Add("CharLm", minutes * 60);
    bar.Start();
    long updates = 0;
    while (updates < maxSteps && clock.Elapsed.TotalMinutes < minutes)
    {
        long inEpoch = chunk % chunksPerEpoch;
        if (inEpoch == 0)                                // a new pass over the text starts from zero state
            foreach (CharModel m in models) m.ResetState();
        for (int b = 0; b < Batch; b++)
        {
            int start = b * streamLength + (int)inEpoch * Steps;
            Array.Copy(train, start, tokens, b * Steps, Steps);
            Array.Copy(train, start + 1, targets, b * Steps, Steps);
        }
        TrainingStep step = trainer.Step(() =>
        {
            Parallel.For(0, replicas, r =>
            {
                CharModel m = models[r];
                if (r > 0) m.ZeroGradients();
                Span<float> y = logits.AsSpan(r * perReplica * Steps * V, perReplica * Steps * V);
                m.Forward(tokens.AsSpan(r * perReplica * Steps, perReplica * Steps), perReplica, Steps, y, training: true);
                losses[r] = Loss.SoftmaxCrossEntropy(y, targets.AsSpan(r * perReplica * Steps, perReplica * Steps), V, y);
                m.Backward(y);
            });
            return Replicas.AverageInto(models, losses);
        });
        Replicas.Broadcast(models);
        chunk++;
        updates++;
        double seconds = clock.Elapsed.TotalSeconds;
        double charsPerSecond = updates * Batch * Steps / seconds;
        double progress = Math.Max(seconds, maxSteps < long.MaxValue ? minutes * 60 * updates / maxSteps : 0);
        bar.Update(updates, step.Loss, progress: Math.Min(progress, minutes * 60),
                   extra: $"{charsPerSecond / 1000,5:F1}k chars/s" + (float.IsNaN(validLoss) ? "" : $"  valid {validLoss:F3}"));
        if (seconds >= nextEvaluation || updates % evaluateEveryUpdates == 0)
        {
            validLoss = Evaluate(model, valid);
            history.Add((startChars + updates * Batch * Steps, trainer.AverageLoss, validLoss));
            Checkpoint.Save(checkpointPath, models, adam, chunk, perReplica);
            if (!quick) nextEvaluation = seconds + evaluationSeconds;
        }
    }
    bar.Finish();
});
double trainSeconds = clock.Elapsed.TotalSeconds;
long done = adam.StepCount;
long charsThisRun = (long)(done * (double)Batch * Steps - startChars);
validLoss = Evaluate(model, valid);
if (history.Count > 0 && history[^1].Chars == done * (double)Batch * Steps)
    history.RemoveAt(history.Count - 1);                // measured at the last update already
history.Add((done * (double)Batch * Steps, trainer.AverageLoss, validLoss));
Checkpoint.Save(checkpointPath, models, adam, chunk, perReplica);

// ---- Samples ------------------------------------------------------------------------------------------
SampleConsole.Heading("Samples");
double[] temperatures = onlyTemperature is double t ? [t] : [0.5, 1.0];
foreach (double temperature in temperatures)
{
    SampleConsole.Line($"-- temperature {temperature:0.0#}:");
    SampleConsole.Line(Sample(model, temperature, quick ? 200 : 400, seed: 7));
}

// ---- Summary and picture ------------------------------------------------------------------------------
string png = Path.Combine(outFolder, "loss.png");
Plot(png, history, fromZero: startChars == 0, quick);
SampleConsole.Heading("Summary");
SampleConsole.Line($"Validation cross-entropy: {validLoss:F3} nats/char ({validLoss / Math.Log(2):F3} bits/char) after {done:N0} updates,"
                   + $" {done * (double)Batch * Steps / train.Length:F2} epochs.");
SampleConsole.Line($"Validation cross-entropy with the recurrent weights in bfloat16: {Evaluate(model, valid, InferencePrecision.BFloat16):F4}, "
                   + $"in int8: {Evaluate(model, valid, InferencePrecision.Int8):F4}, in float32: {validLoss:F4} nats/char.");
SampleConsole.Line($"Training speed: {charsThisRun / trainSeconds:N0} characters/s ({(done - (long)(startChars / Batch / Steps)) / trainSeconds:F1} updates/s) over {trainSeconds:F0} s on {Simd.ActivePath}.");
SampleConsole.Line($"Checkpoint: {SampleFiles.Show(checkpointPath)} (continue with --resume{(quick ? " --quick" : "")}).");
SampleConsole.Line($"Picture: {SampleFiles.Show(png)}.");
if (quick)
{
    SampleConsole.Line($"A quick run ({maxSteps} updates) checks that training, the checkpoint and sampling work; it is far too short to learn.");
    SampleConsole.Line($"The default run trains for 2 minutes; docs/samples.md shows 10 minutes on ../shared/data/tinyshakespeare.txt.");
    if (options.Get("--out") is null)
        SampleConsole.Line($"A quick run's files go to {SampleFiles.DefaultFolder("CharLm", quick: true)}, apart from a full run's in {SampleFiles.DefaultFolder("CharLm", quick: false)}.");
}

// Mean cross-entropy over the held-out text, read as Batch contiguous streams with the state carried, with the
// recurrent weights at the given inference precision.
static float Evaluate(CharModel trained, int[] text, InferencePrecision precision = InferencePrecision.Float32)
{
    var model = new CharModel { Stateful = true, InferencePrecision = precision };
    trained.Parameters.CopyTo(model.Parameters);
    int streams = Math.Max(1, Math.Min(Batch, (text.Length - 1) / Steps));
    int length = (text.Length - 1) / streams / Steps * Steps;
    int[] x = new int[streams * Steps], y = new int[streams * Steps];
    float[] output = new float[streams * Steps * V];
    double total = 0;
    int chunks = length / Steps;
    for (int c = 0; c < chunks; c++)
    {
        for (int b = 0; b < streams; b++)
        {
            Array.Copy(text, b * length + c * Steps, x, b * Steps, Steps);
            Array.Copy(text, b * length + c * Steps + 1, y, b * Steps, Steps);
        }
        model.Forward(x, streams, Steps, output);
        total += Loss.SoftmaxCrossEntropy(output, y, V, default);
    }
    return (float)(total / chunks);
}

// Characters drawn one at a time from softmax(logits / temperature), fed back in.
static string Sample(CharModel trained, double temperature, int count, int seed)
{
    var model = new CharModel { Stateful = true };
    trained.Parameters.CopyTo(model.Parameters);
    var random = new Rng(seed);
    var text = new StringBuilder();
    int[] token = [Characters.Id('\n')];
    float[] output = new float[V];
    double[] p = new double[V];
    for (int i = 0; i < count; i++)
    {
        model.Forward(token, 1, 1, output);
        double max = output.Max(), sum = 0;
        for (int k = 0; k < V; k++) sum += p[k] = Math.Exp((output[k] - max) / temperature);
        double u = random.NextDouble() * sum;
        int next = V - 1;
        for (int k = 0; k < V; k++)
            if ((u -= p[k]) < 0) { next = k; break; }
        text.Append(Characters.Char(next));
        token[0] = next;
    }
    return text.ToString();
}

static void Plot(string path, List<(double Chars, double Train, double Valid)> history, bool fromZero, bool quick)
{
    var plot = new Plot();
    double[] xs = history.Select(h => h.Chars / 1e6).ToArray();
    double[] train = history.Select(h => h.Train).ToArray(), valid = history.Select(h => h.Valid).ToArray();
    SamplePlots.Series(plot, xs, train, "training (running average)", new Color(0x1f, 0x77, 0xb4));
    SamplePlots.Series(plot, xs, valid, "validation", new Color(0xff, 0x7f, 0x0e), MarkerShape.FilledSquare);
    // Characters trained on start at 0 (or where a resumed run started); the loss is never below 0.
    SamplePlots.FitX(plot, xs, floor: 0, include: fromZero ? 0 : null);
    SamplePlots.FitY(plot, [.. train, .. valid], minSpan: 0.2, floor: 0);
    plot.Title("CharLm: cross-entropy per character" + (quick ? "\nquick run (--quick): far too short to learn" : ""));
    plot.XLabel("millions of characters trained on");
    plot.YLabel("nats per character");
    plot.ShowLegend(Edge.Bottom);   // outside the data: a quick run's lone points sit in any corner
    plot.SavePng(path, 900, 500);
}

/// <summary>Synchronous data parallelism over model replicas.</summary>
internal static class Replicas
{
    /// <summary>Averages the replicas' gradients into the first one's; returns the mean loss.</summary>
    public static float AverageInto(CharModel[] models, float[] losses)
    {
        Span<float> sum = models[0].Gradients;
        for (int r = 1; r < models.Length; r++)
        {
            ReadOnlySpan<float> g = models[r].Gradients;
            for (int i = 0; i < sum.Length; i++) sum[i] += g[i];
        }
        float scale = 1f / models.Length, loss = 0;
        if (models.Length > 1)
            for (int i = 0; i < sum.Length; i++) sum[i] *= scale;
        foreach (float l in losses) loss += l;
        return loss * scale;
    }

    /// <summary>Copies the first replica's weights to the others.</summary>
    public static void Broadcast(CharModel[] models)
    {
        for (int r = 1; r < models.Length; r++) models[0].Parameters.CopyTo(models[r].Parameters);
    }
}

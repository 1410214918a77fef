using System;
using BenchmarkDotNet.Attributes;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --watch: what <see cref="Trainer.Watch"/> costs per <see cref="Trainer.Step"/>, off (null, the default) and on,
/// on the grid's 64-unit LSTM (8 sequences of 50 steps, a loss at every step, learning rate 0 so that the flow,
/// and the watch's work, stay the same from one step to the next).
/// </summary>
public class WatchBenchmarks
{
    private const int Batch = 8, Steps = 50;

    private Trainer _trainer = null!;
    private Func<float> _step = null!;

    [Params(false, true)]
    public bool Watching { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = new Lstm64(0);
        var random = new Random(1);
        var input = new float[Batch * Steps * Lstm64.InputSize];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 2 - 1);
        var target = new float[Batch * Steps * Lstm64.OutputSize];
        var output = new float[target.Length];
        var outputGradient = new float[target.Length];
        _step = () =>
        {
            model.Forward(input, Batch, Steps, output, training: true);
            float loss = Loss.MeanSquaredError(output, target, outputGradient);
            model.Backward(outputGradient);
            return loss;
        };
        var watch = Watching ? new GradientWatch() : null;
        _trainer = new Trainer(model, new Sgd(Lstm64.ParameterCount, learningRate: 0f)) { Watch = watch };
        for (int i = 0; i < 25; i++) _trainer.Step(_step);
        // A watch that has reported stops watching: timing it would time nothing.
        if (watch?.Alert is { } alert)
            throw new InvalidOperationException("The watch reported, so it no longer watches: " + alert.Message);
    }

    [Benchmark]
    public TrainingStep Step() => _trainer.Step(_step);
}

using System;
using System.Diagnostics;
using CodeGenLstm;
using LongRange;

// Trains an LSTM and a plain RNN on the adding problem and reports the mean squared error against the
// trivial baseline (always answering 1: MSE 0.1767, Le et al. 2015).
int steps = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50;
const int Batch = 32, Updates = 3000;
Console.WriteLine($"The adding problem, {steps} steps, batch {Batch}, {Updates} Adam updates; kernels: {Simd.ActivePath}.");
Console.WriteLine("Baseline (always answer 1): MSE 0.1767.");

Train("LSTM", new AddingLstm(seed: 1));
Train("RNN ", new AddingRnn(seed: 1));

void Train(string name, IFloatSequenceModel model)
{
    var random = new Rng(7);
    var optimizer = new Adam(model.ParameterCount, learningRate: 1e-2f);
    float[] input = new float[Batch * steps * 2], target = new float[Batch], output = new float[Batch], gradient = new float[Batch];
    var clock = Stopwatch.StartNew();
    float loss = 0;
    for (int update = 1; update <= Updates; update++)
    {
        AddingProblem.Fill(random, input, target, Batch, steps);
        model.ZeroGradients();
        model.Forward(input, Batch, steps, output, training: true);
        loss = Loss.MeanSquaredError(output, target, gradient);
        model.Backward(gradient);
        Clip.GlobalNorm(model.Gradients, 1f);
        optimizer.Step(model.Parameters, model.Gradients);
        if (update % 500 == 0)
            Console.WriteLine($"  {name} update {update,4}: MSE {loss:F4}  ({update / clock.Elapsed.TotalSeconds:F0} updates/s)");
    }
    Console.WriteLine($"{name}: final MSE {loss:F4} ({(loss < 0.01 ? "learned" : loss < 0.9 * 0.1767 ? "partly learned" : "no better than the baseline")}).");
}

/// <summary>Batches of the adding problem.</summary>
internal static class AddingProblem
{
    public static void Fill(Rng random, float[] input, float[] target, int batch, int steps)
    {
        for (int b = 0; b < batch; b++)
        {
            int first = random.NextInt(Math.Max(1, steps / 2)), second = steps / 2 + random.NextInt(steps - steps / 2);
            float sum = 0;
            for (int t = 0; t < steps; t++)
            {
                float value = random.NextFloat();
                float mark = t == first || t == second ? 1f : 0f;
                input[(b * steps + t) * 2] = value;
                input[(b * steps + t) * 2 + 1] = mark;
                sum += value * mark;
            }
            target[b] = sum;
        }
    }
}

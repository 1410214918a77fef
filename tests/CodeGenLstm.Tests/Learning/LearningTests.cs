using System;

namespace CodeGenLstm.Tests.Learning;

/// <summary>
/// End to end: the generated models learn long-time-lag tasks within a fixed budget of updates
/// (seeded, so the same run every time). These are the tasks that separate gated cells from plain ones.
/// </summary>
[Trait("Category", "Learning")]
public class LearningTests
{
    /// <summary>The adding problem (Hochreiter and Schmidhuber 1997): the target is the sum of the two marked numbers.</summary>
    internal static void AddingBatch(Rng random, float[] input, float[] target, int batch, int steps)
    {
        for (int b = 0; b < batch; b++)
        {
            int first = random.NextInt(steps / 2), second = steps / 2 + random.NextInt(steps - steps / 2);
            float sum = 0;
            for (int t = 0; t < steps; t++)
            {
                float value = random.NextFloat(), mark = t == first || t == second ? 1f : 0f;
                input[(b * steps + t) * 2] = value;
                input[(b * steps + t) * 2 + 1] = mark;
                sum += value * mark;
            }
            target[b] = sum;
        }
    }

    private static float TrainAdding(IFloatSequenceModel model, int steps, int updates)
    {
        const int Batch = 32;
        var random = new Rng(11);
        var trainer = new Trainer(model, new Adam(model.ParameterCount, learningRate: 1e-2f), clipNorm: 1f);
        float[] x = new float[Batch * steps * 2], target = new float[Batch], y = new float[Batch], dy = new float[Batch];
        for (int update = 0; update < updates; update++)
        {
            AddingBatch(random, x, target, Batch, steps);
            trainer.Step(() =>
            {
                model.Forward(x, Batch, steps, y, training: true);
                float loss = Loss.MeanSquaredError(y, target, dy);
                model.Backward(dy);
                return loss;
            });
        }
        Assert.Equal(0, trainer.SkippedSteps);
        // Fresh sequences the model never saw.
        const int Test = 512;
        float[] testX = new float[Test * steps * 2], testTarget = new float[Test], testY = new float[Test];
        AddingBatch(new Rng(99), testX, testTarget, Test, steps);
        model.Forward(testX, Test, steps, testY);
        return Loss.MeanSquaredError(testY, testTarget, default);
    }

    [Fact]
    public void LstmLearnsTheAddingProblemAtT20()
    {
        // Baseline (always 1): MSE 0.1767 (Le et al. 2015); "solved" is usually MSE < 0.01.
        float mse = TrainAdding(new AddingLstm(seed: 1), steps: 20, updates: 1500);
        Assert.True(mse < 0.01f, $"test MSE {mse}");
    }

    [Fact]
    public void GruLearnsTheAddingProblemAtT20()
    {
        float mse = TrainAdding(new AddingGru(seed: 1), steps: 20, updates: 1500);
        Assert.True(mse < 0.01f, $"test MSE {mse}");
    }

    [Fact]
    public void TokenLstmRemembersTheFirstTokenOverTwelveSteps()
    {
        // Classify a sequence of 12 random tokens by its first token: chance is 1/6.
        const int Batch = 32, Steps = 12, Classes = 6;
        var model = new FirstTokenModel(seed: 2);
        var trainer = new Trainer(model, new Adam(FirstTokenModel.ParameterCount, learningRate: 1e-2f), clipNorm: 5f);
        var random = new Rng(5);
        int[] tokens = new int[Batch * Steps], labels = new int[Batch];
        float[] logits = new float[Batch * Classes], dLogits = new float[Batch * Classes];
        void Fill(Rng r, int[] t, int[] l, int n)
        {
            for (int i = 0; i < t.Length; i++) t[i] = r.NextInt(Classes);
            for (int b = 0; b < n; b++) l[b] = t[b * Steps];
        }
        for (int update = 0; update < 400; update++)
        {
            Fill(random, tokens, labels, Batch);
            trainer.Step(() =>
            {
                model.Forward(tokens, Batch, Steps, logits, training: true);
                float loss = Loss.SoftmaxCrossEntropy(logits, labels, Classes, dLogits);
                model.Backward(dLogits);
                return loss;
            });
        }
        const int Test = 256;
        int[] testTokens = new int[Test * Steps], testLabels = new int[Test];
        float[] testLogits = new float[Test * Classes];
        Fill(new Rng(77), testTokens, testLabels, Test);
        model.Forward(testTokens, Test, Steps, testLogits);
        float accuracy = Loss.Accuracy(testLogits, testLabels, Classes);
        Assert.True(accuracy > 0.95f, $"accuracy {accuracy}");
    }
}

using System;
using System.Runtime.CompilerServices;

namespace CodeGenLstm;

/// <summary>
/// Loss functions that return the loss and write its gradient with respect to the model's output, the
/// span to pass to the model's Backward. Both are means, as PyTorch's default reduction, so the
/// gradient scale does not depend on the batch size or sequence length. Sums are accumulated in
/// double; nothing here allocates.
/// </summary>
public static class Loss
{
    /// <summary>PyTorch's default ignore index for cross-entropy: the usual target value of padded steps.</summary>
    public const int DefaultIgnoreIndex = -100;

    /// <summary>
    /// Mean cross-entropy of softmax(logits) against integer class targets, as PyTorch's
    /// F.cross_entropy with reduction 'mean': the mean, over the rows whose target is not
    /// <paramref name="ignoreIndex"/>, of -log softmax(row)[target]. It is computed stably as
    /// (max - row[target]) + log Σ exp(row - max), so logits of any finite size give a finite loss.
    /// </summary>
    /// <param name="logits">Row-major [n, classes]: a model's per-step output with n = batch * steps.</param>
    /// <param name="targets">[n] class indices in [0, classes), or <paramref name="ignoreIndex"/> for rows that do not count (padding).</param>
    /// <param name="classes">Classes per row; at least 1.</param>
    /// <param name="logitsGradient">
    /// Empty (compute the loss only, for evaluation) or [n, classes]: receives
    /// (softmax(row) - onehot(target)) / count for counted rows and 0 for ignored rows, where count is
    /// the number of counted rows. It may be the very span of <paramref name="logits"/> (the gradient
    /// then replaces the logits, saving a buffer), but must not otherwise overlap it.
    /// </param>
    /// <param name="ignoreIndex">The target value of rows to skip; PyTorch's -100 by default.</param>
    /// <returns>The mean loss; 0 (with a zero gradient) when every row is ignored. NaN logits give NaN.</returns>
    /// <exception cref="ArgumentException">
    /// A length mismatch (naming the argument and the expected length), or a target outside
    /// [0, classes) that is not the ignore index (naming its position); checked before anything is written.
    /// </exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int classes,
                                            Span<float> logitsGradient, int ignoreIndex = DefaultIgnoreIndex)
    {
        int count = CheckClassification(logits, targets, classes, ignoreIndex);
        bool writeGradient = !logitsGradient.IsEmpty;
        if (writeGradient && logitsGradient.Length != logits.Length)
            throw new ArgumentException(
                $"Expected an empty span or {logits.Length} values (targets.Length * classes), got {logitsGradient.Length}.",
                nameof(logitsGradient));
        if (count == 0)
        {
            logitsGradient.Clear();
            return 0f;
        }

        int width = Simd.ActiveWidth;
        double invCount = 1.0 / count;
        float negInvCount = (float)-invCount;
        double total = 0;
        for (int r = 0; r < targets.Length; r++)
        {
            ReadOnlySpan<float> row = logits.Slice(r * classes, classes);
            int target = targets[r];
            if (target == ignoreIndex)
            {
                if (writeGradient)
                    logitsGradient.Slice(r * classes, classes).Clear();
                continue;
            }
            float max = TrainingKernels.Max(width, row);
            float atTarget = row[target]; // read before the row may be overwritten (in-place use)
            Span<float> gradRow = writeGradient ? logitsGradient.Slice(r * classes, classes) : default;
            float sum = TrainingKernels.ExpSum(width, row, max, gradRow);
            total += (double)(max - atTarget) + Math.Log(sum);
            if (writeGradient)
            {
                TrainingKernels.Scale(width, gradRow, (float)(invCount / sum));
                gradRow[target] += negInvCount;
            }
        }
        return (float)(total * invCount);
    }

    /// <summary>
    /// Mean squared error, as PyTorch's F.mse_loss with reduction 'mean': Σ (p - t)² / n, with
    /// gradient 2 (p - t) / n.
    /// </summary>
    /// <param name="predictions">The model's outputs.</param>
    /// <param name="targets">The wanted outputs; same length as <paramref name="predictions"/>.</param>
    /// <param name="gradient">
    /// Empty (loss only) or the same length as <paramref name="predictions"/>: receives 2 (p - t) / n.
    /// It may be the very span of <paramref name="predictions"/> or <paramref name="targets"/> (in place),
    /// but must not otherwise overlap them.
    /// </param>
    /// <returns>The mean loss; 0 for empty inputs (PyTorch gives NaN there; 0 keeps a training loop's sums finite).</returns>
    /// <exception cref="ArgumentException">A length mismatch, naming the argument and the expected length.</exception>
    public static float MeanSquaredError(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient)
    {
        if (targets.Length != predictions.Length)
            throw new ArgumentException(
                $"Expected {predictions.Length} values (predictions.Length), got {targets.Length}.", nameof(targets));
        if (!gradient.IsEmpty && gradient.Length != predictions.Length)
            throw new ArgumentException(
                $"Expected an empty span or {predictions.Length} values (predictions.Length), got {gradient.Length}.",
                nameof(gradient));
        if (predictions.IsEmpty)
            return 0f;
        double n = predictions.Length;
        double sum = TrainingKernels.SquaredError(Simd.ActiveWidth, predictions, targets, gradient, (float)(2.0 / n));
        return (float)(sum / n);
    }

    /// <summary>
    /// The fraction of counted rows whose largest logit is at the target class (the first largest on a
    /// tie, as torch.argmax), for monitoring a classifier alongside <see cref="SoftmaxCrossEntropy"/>
    /// with the same arguments. A row containing NaN counts as wrong.
    /// </summary>
    /// <param name="logits">Row-major [n, classes].</param>
    /// <param name="targets">[n] class indices in [0, classes), or <paramref name="ignoreIndex"/> for rows that do not count.</param>
    /// <param name="classes">Classes per row; at least 1.</param>
    /// <param name="ignoreIndex">The target value of rows to skip; PyTorch's -100 by default.</param>
    /// <returns>A value in [0, 1]; 0 when every row is ignored.</returns>
    /// <exception cref="ArgumentException">As <see cref="SoftmaxCrossEntropy"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Accuracy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int classes,
                                 int ignoreIndex = DefaultIgnoreIndex)
    {
        int count = CheckClassification(logits, targets, classes, ignoreIndex);
        if (count == 0)
            return 0f;
        int correct = 0;
        for (int r = 0; r < targets.Length; r++)
        {
            int target = targets[r];
            if (target == ignoreIndex)
                continue;
            ReadOnlySpan<float> row = logits.Slice(r * classes, classes);
            int best = 0;
            bool hasNaN = float.IsNaN(row[0]);
            for (int j = 1; j < row.Length; j++)
            {
                float x = row[j];
                hasNaN |= float.IsNaN(x);
                if (x > row[best])
                    best = j;
            }
            if (!hasNaN && best == target)
                correct++;
        }
        return (float)((double)correct / count);
    }

    /// <summary>Checks the shapes and targets of a classification loss; returns the number of counted rows.</summary>
    private static int CheckClassification(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int classes, int ignoreIndex)
    {
        if (classes < 1)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "There must be at least one class.");
        long expected = (long)targets.Length * classes;
        if (logits.Length != expected)
            throw new ArgumentException(
                $"Expected {expected} values (targets.Length {targets.Length} * classes {classes}), got {logits.Length}.",
                nameof(logits));
        int count = 0;
        for (int r = 0; r < targets.Length; r++)
        {
            int target = targets[r];
            if (target == ignoreIndex)
                continue;
            if ((uint)target >= (uint)classes)
                throw new ArgumentException(
                    $"targets[{r}] = {target} is outside [0, {classes}) and is not the ignore index {ignoreIndex}.",
                    nameof(targets));
            count++;
        }
        return count;
    }
}

using System;
using System.Diagnostics;

namespace CodeGenLstm;

/// <summary>What one <see cref="Trainer.Step"/> did.</summary>
/// <param name="Loss">The loss the step's callback returned.</param>
/// <param name="GradientNorm">The global L2 norm of the gradients before clipping.</param>
/// <param name="Skipped">True when the loss or a gradient was not finite: the weights were left as they were.</param>
public readonly record struct TrainingStep(float Loss, float GradientNorm, bool Skipped);

/// <summary>
/// One training step done the careful way: zero the gradients, run the caller's forward, loss and
/// backward, measure the gradient norm, skip the update if anything is not finite (the weights are
/// never touched by a NaN or an infinity), clip, and step the optimizer. It keeps the running figures a
/// progress display wants: loss, gradient norm, steps per second, skipped steps.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer(model, new Adam(model.ParameterCount, 1e-3f), clipNorm: 5f);
/// TrainingStep step = trainer.Step(() =>
/// {
///     model.Forward(input, batch, steps, output, training: true);
///     float loss = Loss.MeanSquaredError(output, target, outputGradient);
///     model.Backward(outputGradient);
///     return loss;
/// });
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly ISequenceModel _model;
    private long _windowStart, _windowStartTime;
    private float _averageLoss = float.NaN;

    /// <summary>Creates a trainer for <paramref name="model"/>.</summary>
    /// <param name="model">The model whose Parameters and Gradients are trained.</param>
    /// <param name="optimizer">The optimizer; its ParameterCount must equal the model's.</param>
    /// <param name="clipNorm">Global-norm clipping threshold (Pascanu et al. 2013); 0 for none.</param>
    /// <param name="clipValue">Element-wise clipping threshold (char-rnn's way); 0 for none.</param>
    public Trainer(ISequenceModel model, IOptimizer optimizer, float clipNorm = 0f, float clipValue = 0f)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer.ParameterCount != model.ParameterCount)
            throw new ArgumentException($"The optimizer is for {optimizer.ParameterCount} parameters; the model has {model.ParameterCount}.", nameof(optimizer));
        if (!(clipNorm >= 0f) || float.IsInfinity(clipNorm))
            throw new ArgumentOutOfRangeException(nameof(clipNorm), clipNorm, "0 (no clipping) or a positive finite threshold.");
        if (!(clipValue >= 0f) || float.IsInfinity(clipValue))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "0 (no clipping) or a positive finite threshold.");
        _model = model;
        Optimizer = optimizer;
        ClipNorm = clipNorm;
        ClipValue = clipValue;
    }

    /// <summary>The optimizer (its learning rate can be changed between steps).</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>Global-norm clipping threshold; 0 for none.</summary>
    public float ClipNorm { get; }

    /// <summary>Element-wise clipping threshold; 0 for none.</summary>
    public float ClipValue { get; }

    /// <summary>Steps that updated the weights.</summary>
    public long Steps { get; private set; }

    /// <summary>Steps skipped because the loss or a gradient was not finite.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>
    /// Watches the gradient flow of every step and reports once when it vanishes or explodes; null (the
    /// default) for no watching, at no cost.
    /// </summary>
    public GradientWatch? Watch { get; set; }

    /// <summary>The last step's figures.</summary>
    public TrainingStep Last { get; private set; }

    /// <summary>Exponential moving average of the loss over roughly the last 50 finite steps.</summary>
    public float AverageLoss => _averageLoss;

    /// <summary>
    /// Steps (updates and skips) per second of wall-clock time, data preparation included, since the
    /// first step or the last <see cref="ResetRate"/>.
    /// </summary>
    public double StepsPerSecond
    {
        get
        {
            double seconds = _windowStartTime == 0 ? 0 : Stopwatch.GetElapsedTime(_windowStartTime).TotalSeconds;
            return seconds > 0 ? (Steps + SkippedSteps - _windowStart) / seconds : 0;
        }
    }

    /// <summary>Starts a new window for <see cref="StepsPerSecond"/> (for example after an evaluation pause).</summary>
    public void ResetRate()
    {
        _windowStart = Steps + SkippedSteps;
        _windowStartTime = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Runs one step. <paramref name="forwardBackward"/> must run the model's Forward with training: true,
    /// compute the loss and its output gradient, call Backward, and return the loss. Gradients are zeroed
    /// before it runs.
    /// </summary>
    public TrainingStep Step(Func<float> forwardBackward)
    {
        ArgumentNullException.ThrowIfNull(forwardBackward);
        if (_windowStartTime == 0) _windowStartTime = Stopwatch.GetTimestamp();
        _model.ZeroGradients();
        float loss = forwardBackward();
        Span<float> gradients = _model.Gradients;
        float norm = Clip.Norm(gradients);
        Watch?.Observe(_model, loss, norm);
        TrainingStep result;
        if (!float.IsFinite(loss) || !float.IsFinite(norm))
        {
            // A NaN or an infinity would spread through the optimizer's state into every weight.
            _model.ZeroGradients();
            SkippedSteps++;
            result = new TrainingStep(loss, norm, Skipped: true);
        }
        else
        {
            if (ClipNorm > 0f) Clip.GlobalNorm(gradients, ClipNorm);
            if (ClipValue > 0f) Clip.Value(gradients, ClipValue);
            Optimizer.Step(_model.Parameters, gradients);
            Steps++;
            _averageLoss = float.IsNaN(_averageLoss) ? loss : 0.98f * _averageLoss + 0.02f * loss;
            result = new TrainingStep(loss, norm, Skipped: false);
        }
        Last = result;
        return result;
    }
}

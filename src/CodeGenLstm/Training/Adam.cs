using System;
using System.Collections.Generic;

namespace CodeGenLstm;

/// <summary>
/// Adam (Kingma and Ba 2015) as torch.optim.Adam: g' = g + weightDecay p (L2, coupled);
/// m = beta1 m + (1 - beta1) g'; v = beta2 v + (1 - beta2) g'²;
/// p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps), with t the step number
/// from 1. As in PyTorch, eps is added after the bias correction of sqrt(v), and the bias-correction
/// factors are computed in double. On the first step every parameter moves by about lr in the
/// direction opposite its gradient's sign, whatever the gradient's size.
/// </summary>
/// <remarks>
/// State: <c>adam.exp_avg</c> (m), <c>adam.exp_avg_sq</c> (v) and <c>adam.step</c>
/// (see <see cref="IOptimizer.ExportState"/> for the step encoding). For weight decay that does not
/// interact with the adaptive scaling use <see cref="AdamW"/>.
/// </remarks>
public sealed class Adam : IOptimizer
{
    /// <summary>The state name of the first-moment estimate m.</summary>
    public const string ExpAvgName = "adam.exp_avg";

    /// <summary>The state name of the second-moment estimate v.</summary>
    public const string ExpAvgSqName = "adam.exp_avg_sq";

    /// <summary>The state name of the step count.</summary>
    public const string StepName = "adam.step";

    private readonly AdamCore _core;

    /// <summary>
    /// Creates the optimizer for <paramref name="parameterCount"/> parameters, with PyTorch's defaults.
    /// </summary>
    /// <param name="parameterCount">The length of the parameter vector (a model's ParameterCount).</param>
    /// <param name="learningRate">The step size; finite, at least 0.</param>
    /// <param name="beta1">Decay rate of the gradient average m, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the squared-gradient average v, in [0, 1).</param>
    /// <param name="epsilon">Added to the bias-corrected sqrt(v) to bound the step where v is tiny; finite, at least 0.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as weightDecay * p; finite, at least 0.</param>
    public Adam(int parameterCount, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
                float epsilon = 1e-8f, float weightDecay = 0f)
    {
        _core = new AdamCore(parameterCount, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false);
    }

    /// <inheritdoc/>
    public int ParameterCount => _core.ParameterCount;

    /// <inheritdoc/>
    public float LearningRate
    {
        get => _core.LearningRate;
        set => _core.LearningRate = value;
    }

    /// <summary>Decay rate of the gradient average m.</summary>
    public float Beta1 => _core.Beta1;

    /// <summary>Decay rate of the squared-gradient average v.</summary>
    public float Beta2 => _core.Beta2;

    /// <summary>The term added to the bias-corrected sqrt(v).</summary>
    public float Epsilon => _core.Epsilon;

    /// <summary>The L2 penalty factor added to the gradient before the moments.</summary>
    public float WeightDecay => _core.WeightDecay;

    /// <inheritdoc/>
    public long StepCount => _core.StepCount;

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients) => _core.Step(parameters, gradients);

    /// <inheritdoc/>
    public IReadOnlyList<NamedTensor> ExportState() => _core.ExportState(ExpAvgName, ExpAvgSqName, StepName);

    /// <inheritdoc/>
    public void ImportState(IEnumerable<NamedTensor> state) =>
        _core.ImportState(state, nameof(Adam), ExpAvgName, ExpAvgSqName, StepName);
}

/// <summary>
/// AdamW (Loshchilov and Hutter 2019) as torch.optim.AdamW: the weight decay is decoupled from the
/// gradient, p = p (1 - lr weightDecay), before the <see cref="Adam"/> update with the raw gradient, so
/// every weight decays at the same rate whatever its gradient history. The default weight decay is
/// PyTorch's 0.01.
/// </summary>
/// <remarks>
/// State: <c>adamw.exp_avg</c>, <c>adamw.exp_avg_sq</c> and <c>adamw.step</c> (prefixed apart from
/// Adam's so that one optimizer's checkpoint is not silently loaded into the other).
/// </remarks>
public sealed class AdamW : IOptimizer
{
    /// <summary>The state name of the first-moment estimate m.</summary>
    public const string ExpAvgName = "adamw.exp_avg";

    /// <summary>The state name of the second-moment estimate v.</summary>
    public const string ExpAvgSqName = "adamw.exp_avg_sq";

    /// <summary>The state name of the step count.</summary>
    public const string StepName = "adamw.step";

    private readonly AdamCore _core;

    /// <summary>
    /// Creates the optimizer for <paramref name="parameterCount"/> parameters, with PyTorch's defaults.
    /// </summary>
    /// <param name="parameterCount">The length of the parameter vector (a model's ParameterCount).</param>
    /// <param name="learningRate">The step size; finite, at least 0. It also scales the decay.</param>
    /// <param name="beta1">Decay rate of the gradient average m, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the squared-gradient average v, in [0, 1).</param>
    /// <param name="epsilon">Added to the bias-corrected sqrt(v); finite, at least 0.</param>
    /// <param name="weightDecay">Decoupled decay: each step multiplies p by 1 - lr * weightDecay; finite, at least 0.</param>
    public AdamW(int parameterCount, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
                 float epsilon = 1e-8f, float weightDecay = 0.01f)
    {
        _core = new AdamCore(parameterCount, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true);
    }

    /// <inheritdoc/>
    public int ParameterCount => _core.ParameterCount;

    /// <inheritdoc/>
    public float LearningRate
    {
        get => _core.LearningRate;
        set => _core.LearningRate = value;
    }

    /// <summary>Decay rate of the gradient average m.</summary>
    public float Beta1 => _core.Beta1;

    /// <summary>Decay rate of the squared-gradient average v.</summary>
    public float Beta2 => _core.Beta2;

    /// <summary>The term added to the bias-corrected sqrt(v).</summary>
    public float Epsilon => _core.Epsilon;

    /// <summary>The decoupled decay factor: each step multiplies p by 1 - LearningRate * WeightDecay.</summary>
    public float WeightDecay => _core.WeightDecay;

    /// <inheritdoc/>
    public long StepCount => _core.StepCount;

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients) => _core.Step(parameters, gradients);

    /// <inheritdoc/>
    public IReadOnlyList<NamedTensor> ExportState() => _core.ExportState(ExpAvgName, ExpAvgSqName, StepName);

    /// <inheritdoc/>
    public void ImportState(IEnumerable<NamedTensor> state) =>
        _core.ImportState(state, nameof(AdamW), ExpAvgName, ExpAvgSqName, StepName);
}

/// <summary>The state and step of <see cref="Adam"/> and <see cref="AdamW"/>, which differ only in how they decay.</summary>
internal sealed class AdamCore
{
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly bool _decoupled;
    private float _learningRate;

    internal AdamCore(int parameterCount, float learningRate, float beta1, float beta2, float epsilon, float weightDecay,
                      bool decoupled)
    {
        OptimizerState.CheckParameterCount(parameterCount);
        OptimizerState.CheckLearningRate(learningRate, nameof(learningRate));
        OptimizerState.CheckRate(beta1, nameof(beta1));
        OptimizerState.CheckRate(beta2, nameof(beta2));
        OptimizerState.CheckNonNegative(epsilon, nameof(epsilon));
        OptimizerState.CheckNonNegative(weightDecay, nameof(weightDecay));
        ParameterCount = parameterCount;
        _learningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _decoupled = decoupled;
        _m = new float[parameterCount];
        _v = new float[parameterCount];
    }

    internal int ParameterCount { get; }
    internal float Beta1 { get; }
    internal float Beta2 { get; }
    internal float Epsilon { get; }
    internal float WeightDecay { get; }
    internal long StepCount { get; private set; }

    internal float LearningRate
    {
        get => _learningRate;
        set
        {
            OptimizerState.CheckLearningRate(value, nameof(value));
            _learningRate = value;
        }
    }

    internal void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerState.CheckSpans(ParameterCount, parameters.Length, gradients.Length);
        OptimizerState.CheckStepCount(StepCount);
        long t = StepCount + 1;
        // As torch: the scalars are Python floats (double), rounded to float when applied to float tensors.
        double lr = _learningRate;
        double bc1 = 1.0 - Math.Pow(Beta1, t);
        double bc2 = 1.0 - Math.Pow(Beta2, t);
        var c = new TrainingKernels.AdamCoefficients(
            L2: _decoupled ? 0f : WeightDecay,
            Decay: _decoupled ? (float)(1.0 - lr * WeightDecay) : 1f,
            OneMinusBeta1: (float)(1.0 - Beta1),
            Beta2: Beta2,
            OneMinusBeta2: (float)(1.0 - Beta2),
            Bc2Sqrt: (float)Math.Sqrt(bc2),
            Epsilon: Epsilon,
            NegStepSize: (float)(-lr / bc1));
        TrainingKernels.Adam(Simd.ActiveWidth, parameters, gradients, _m, _v, c);
        StepCount = t;
    }

    internal IReadOnlyList<NamedTensor> ExportState(string expAvgName, string expAvgSqName, string stepName) =>
    [
        OptimizerState.Vector(expAvgName, _m),
        OptimizerState.Vector(expAvgSqName, _v),
        OptimizerState.EncodeStep(stepName, StepCount),
    ];

    internal void ImportState(IEnumerable<NamedTensor> state, string optimizerName, string expAvgName, string expAvgSqName,
                              string stepName)
    {
        Dictionary<string, NamedTensor> tensors = OptimizerState.ReadStrict(
            state, optimizerName, [(expAvgName, ParameterCount), (expAvgSqName, ParameterCount), (stepName, -1)]);
        tensors[expAvgName].Data.CopyTo(_m, 0);
        tensors[expAvgSqName].Data.CopyTo(_v, 0);
        StepCount = OptimizerState.DecodeStep(tensors[stepName]);
    }
}

using System;
using System.Collections.Generic;

namespace CodeGenLstm;

/// <summary>
/// RMSprop (Tieleman and Hinton 2012) as torch.optim.RMSprop: g' = g + weightDecay p;
/// v = alpha v + (1 - alpha) g'²; p = p - lr g' / (sqrt(v) + eps). Optionally centered (divide by an
/// estimate of the gradient's standard deviation, sqrt(v - avg(g')²), instead of its RMS) and with
/// momentum (buf = momentum buf + g' / (sqrt(v) + eps), p = p - lr buf; the buffer starts at zero).
/// Unlike Adam there is no bias correction, so the first steps are large: with v starting at 0 the
/// first step moves each parameter by about lr / sqrt(1 - alpha) = 10 lr for alpha 0.99.
/// </summary>
/// <remarks>
/// State: <c>rmsprop.square_avg</c>, <c>rmsprop.grad_avg</c> (centered only),
/// <c>rmsprop.momentum_buffer</c> (momentum only) and <c>rmsprop.step</c>.
/// Centered: a rounding can make v - avg(g')² slightly negative where torch would take its square root
/// and produce NaN; here it is clamped to 0.
/// </remarks>
public sealed class RmsProp : IOptimizer
{
    /// <summary>The state name of the squared-gradient average v.</summary>
    public const string SquareAvgName = "rmsprop.square_avg";

    /// <summary>The state name of the gradient average (centered only).</summary>
    public const string GradAvgName = "rmsprop.grad_avg";

    /// <summary>The state name of the momentum buffer (momentum only).</summary>
    public const string MomentumBufferName = "rmsprop.momentum_buffer";

    /// <summary>The state name of the step count.</summary>
    public const string StepName = "rmsprop.step";

    private readonly float[] _squareAvg;
    private readonly float[] _gradAvg;
    private readonly float[] _buffer;
    private float _learningRate;

    /// <summary>
    /// Creates the optimizer for <paramref name="parameterCount"/> parameters, with PyTorch's defaults
    /// (note PyTorch's default learning rate for RMSprop is 1e-2, not Adam's 1e-3).
    /// </summary>
    /// <param name="parameterCount">The length of the parameter vector (a model's ParameterCount).</param>
    /// <param name="learningRate">The step size; finite, at least 0.</param>
    /// <param name="alpha">Decay rate of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">Added to the root of the average to bound the step where it is tiny; finite, at least 0.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as weightDecay * p; finite, at least 0.</param>
    /// <param name="momentum">Momentum factor; finite, at least 0; 0 turns it off.</param>
    /// <param name="centered">Normalise by the estimated variance of the gradient instead of its second moment.</param>
    public RmsProp(int parameterCount, float learningRate = 1e-2f, float alpha = 0.99f, float epsilon = 1e-8f,
                   float weightDecay = 0f, float momentum = 0f, bool centered = false)
    {
        OptimizerState.CheckParameterCount(parameterCount);
        OptimizerState.CheckLearningRate(learningRate, nameof(learningRate));
        OptimizerState.CheckRate(alpha, nameof(alpha));
        OptimizerState.CheckNonNegative(epsilon, nameof(epsilon));
        OptimizerState.CheckNonNegative(weightDecay, nameof(weightDecay));
        OptimizerState.CheckNonNegative(momentum, nameof(momentum));
        ParameterCount = parameterCount;
        _learningRate = learningRate;
        Alpha = alpha;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        _squareAvg = new float[parameterCount];
        _gradAvg = centered ? new float[parameterCount] : [];
        _buffer = momentum != 0f ? new float[parameterCount] : [];
    }

    /// <inheritdoc/>
    public int ParameterCount { get; }

    /// <inheritdoc/>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            OptimizerState.CheckLearningRate(value, nameof(value));
            _learningRate = value;
        }
    }

    /// <summary>Decay rate of the squared-gradient average.</summary>
    public float Alpha { get; }

    /// <summary>The term added to the root of the average.</summary>
    public float Epsilon { get; }

    /// <summary>The L2 penalty factor added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>The momentum factor (0: none). Fixed at construction because it decides the state's shape.</summary>
    public float Momentum { get; }

    /// <summary>Whether the step is normalised by the gradient's estimated variance. Fixed at construction (it decides the state's shape).</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerState.CheckSpans(ParameterCount, parameters.Length, gradients.Length);
        OptimizerState.CheckStepCount(StepCount);
        var c = new TrainingKernels.RmsPropCoefficients(
            Lr: _learningRate,
            Alpha: Alpha,
            OneMinusAlpha: (float)(1.0 - Alpha),
            Epsilon: Epsilon,
            WeightDecay: WeightDecay,
            Momentum: Momentum);
        TrainingKernels.RmsProp(Simd.ActiveWidth, parameters, gradients, _squareAvg, _gradAvg, _buffer, c);
        StepCount++;
    }

    /// <inheritdoc/>
    public IReadOnlyList<NamedTensor> ExportState()
    {
        var state = new List<NamedTensor>(4) { OptimizerState.Vector(SquareAvgName, _squareAvg) };
        if (Centered)
            state.Add(OptimizerState.Vector(GradAvgName, _gradAvg));
        if (Momentum != 0f)
            state.Add(OptimizerState.Vector(MomentumBufferName, _buffer));
        state.Add(OptimizerState.EncodeStep(StepName, StepCount));
        return state;
    }

    /// <inheritdoc/>
    public void ImportState(IEnumerable<NamedTensor> state)
    {
        Span<(string Name, int Length)> expected = new (string, int)[4];
        int count = 0;
        expected[count++] = (SquareAvgName, ParameterCount);
        if (Centered)
            expected[count++] = (GradAvgName, ParameterCount);
        if (Momentum != 0f)
            expected[count++] = (MomentumBufferName, ParameterCount);
        expected[count++] = (StepName, -1);
        Dictionary<string, NamedTensor> tensors = OptimizerState.ReadStrict(state, nameof(RmsProp), expected[..count]);
        tensors[SquareAvgName].Data.CopyTo(_squareAvg, 0);
        if (Centered)
            tensors[GradAvgName].Data.CopyTo(_gradAvg, 0);
        if (Momentum != 0f)
            tensors[MomentumBufferName].Data.CopyTo(_buffer, 0);
        StepCount = OptimizerState.DecodeStep(tensors[StepName]);
    }
}

using System;
using System.Collections.Generic;

namespace CodeGenLstm;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as
/// torch.optim.SGD with dampening 0: g' = g + weightDecay p; with momentum, buf = g' on the first step
/// (PyTorch initialises the buffer with the gradient rather than with zeros, so the first step is not
/// damped) and buf = momentum buf + g' after; the direction is g' + momentum buf with Nesterov, buf
/// without; p = p - lr direction. Without momentum it is plain SGD, p = p - lr g'.
/// </summary>
/// <remarks>
/// State: <c>sgd.momentum_buffer</c> (only when momentum is not 0) and <c>sgd.step</c>
/// (see <see cref="IOptimizer.ExportState"/> for the step encoding).
/// </remarks>
public sealed class Sgd : IOptimizer
{
    /// <summary>The state name of the momentum buffer.</summary>
    public const string MomentumBufferName = "sgd.momentum_buffer";

    /// <summary>The state name of the step count.</summary>
    public const string StepName = "sgd.step";

    private readonly float[] _buffer;
    private float _learningRate;

    /// <summary>
    /// Creates the optimizer for <paramref name="parameterCount"/> parameters. The defaults are
    /// PyTorch's (lr 1e-3, no momentum, no weight decay); char-rnn style training typically uses
    /// momentum 0.9. Nesterov needs a momentum above 0, as in PyTorch.
    /// </summary>
    /// <param name="parameterCount">The length of the parameter vector (a model's ParameterCount).</param>
    /// <param name="learningRate">The step size; finite, at least 0.</param>
    /// <param name="momentum">The momentum factor; finite, at least 0; 0 turns momentum off.</param>
    /// <param name="nesterov">Use Nesterov momentum (Sutskever et al. 2013, as PyTorch formulates it).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as weightDecay * p; finite, at least 0.</param>
    public Sgd(int parameterCount, float learningRate = 1e-3f, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
    {
        OptimizerState.CheckParameterCount(parameterCount);
        OptimizerState.CheckLearningRate(learningRate, nameof(learningRate));
        OptimizerState.CheckNonNegative(momentum, nameof(momentum));
        OptimizerState.CheckNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0f)
            throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
        ParameterCount = parameterCount;
        _learningRate = learningRate;
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
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

    /// <summary>The momentum factor (0: none). Fixed at construction because it decides the state's shape.</summary>
    public float Momentum { get; }

    /// <summary>Whether the step follows Nesterov's look-ahead direction g' + momentum buf.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 penalty factor added to the gradient (coupled weight decay, unlike <see cref="AdamW"/>).</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerState.CheckSpans(ParameterCount, parameters.Length, gradients.Length);
        OptimizerState.CheckStepCount(StepCount);
        TrainingKernels.Sgd(Simd.ActiveWidth, parameters, gradients, _buffer,
                            _learningRate, WeightDecay, Momentum, Nesterov, firstStep: StepCount == 0);
        StepCount++;
    }

    /// <inheritdoc/>
    public IReadOnlyList<NamedTensor> ExportState() =>
        Momentum != 0f
            ? [OptimizerState.Vector(MomentumBufferName, _buffer), OptimizerState.EncodeStep(StepName, StepCount)]
            : [OptimizerState.EncodeStep(StepName, StepCount)];

    /// <inheritdoc/>
    public void ImportState(IEnumerable<NamedTensor> state)
    {
        Dictionary<string, NamedTensor> tensors = Momentum != 0f
            ? OptimizerState.ReadStrict(state, nameof(Sgd), [(MomentumBufferName, ParameterCount), (StepName, -1)])
            : OptimizerState.ReadStrict(state, nameof(Sgd), [(StepName, -1)]);
        if (Momentum != 0f)
            tensors[MomentumBufferName].Data.CopyTo(_buffer, 0);
        StepCount = OptimizerState.DecodeStep(tensors[StepName]);
    }
}

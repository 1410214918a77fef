using System;
using System.Collections.Generic;

namespace CodeGenLstm;

/// <summary>
/// An optimizer over one flat parameter vector, such as a generated model's <c>Parameters</c> with its
/// <c>Gradients</c>. The implementations (<see cref="Sgd"/>, <see cref="Adam"/>, <see cref="AdamW"/>,
/// <see cref="RmsProp"/>) follow torch.optim's update rules, so a recipe tuned in PyTorch carries over,
/// and keep their whole state in named tensors, so a checkpoint resumes training exactly.
/// </summary>
/// <remarks>
/// An instance keeps per-parameter state for one parameter vector: use one optimizer per model.
/// <see cref="Step"/> neither allocates nor zeroes the gradients (call the model's ZeroGradients, as
/// with PyTorch's zero_grad). An instance is used by one thread at a time.
/// </remarks>
public interface IOptimizer
{
    /// <summary>The length of the parameter and gradient vectors this optimizer's state was sized for.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// The learning rate of the next <see cref="Step"/>. Settable so that a schedule (warm-up, decay,
    /// plateau reduction) can change it between steps; finite and at least 0, else
    /// <see cref="ArgumentOutOfRangeException"/>. It is a hyper-parameter, not state: it is not
    /// exported, so after <see cref="ImportState"/> set it as the schedule says.
    /// </summary>
    float LearningRate { get; set; }

    /// <summary>
    /// How many steps have been taken (imported with the state). Adam's bias correction depends on it,
    /// and a schedule may use it.
    /// </summary>
    long StepCount { get; }

    /// <summary>
    /// Updates <paramref name="parameters"/> in place from <paramref name="gradients"/> and advances
    /// the optimizer's state by one step. Both spans must hold exactly <see cref="ParameterCount"/>
    /// values, else <see cref="ArgumentException"/> naming the argument and the expected size (checked
    /// before anything changes). Non-finite gradients are not filtered: check the norm that
    /// <see cref="Clip.GlobalNorm"/> returns and skip the step if you want to survive them.
    /// </summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>
    /// The optimizer's state as named tensors (copies), for a checkpoint: the per-parameter buffers
    /// with shape [ParameterCount] and the step count, under names prefixed with the optimizer
    /// (for example <c>adam.exp_avg</c>, <c>adam.exp_avg_sq</c>, <c>adam.step</c>). The step tensor has
    /// shape [2] and holds { floor(step / 2^24), step mod 2^24 }, two integers that a float stores
    /// exactly, because a single float would round counts above 2^24. Hyper-parameters (learning rate,
    /// betas, ...) are not part of the state: construct the resuming optimizer with the same ones.
    /// </summary>
    IReadOnlyList<NamedTensor> ExportState();

    /// <summary>
    /// Replaces the state with one that <see cref="ExportState"/> wrote (the tensors are copied).
    /// Strict: every expected name must be present once with the right shape, and no other name may
    /// appear; otherwise <see cref="ArgumentException"/> naming the tensor, and nothing is changed.
    /// After importing the state exported after k steps, further steps give bit-identical parameters
    /// to an uninterrupted run (on the same machine and vector path).
    /// </summary>
    void ImportState(IEnumerable<NamedTensor> state);
}

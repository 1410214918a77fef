using System;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// Every number the gradient rules compare with, in one place. Each is justified, with citations, on
/// the rule's page in docs/diagnostics/; a test keeps those pages and these values in step.
/// </summary>
internal static class GradientThresholds
{
    /// <summary>CGL1001: a plain tanh or sigmoid RNN over at least this many steps is warned about.</summary>
    public const int LongSequence = 50;

    /// <summary>
    /// CGL1002 (a warning since GradientLab, docs/diagnostics/validation.md) and the lower bound of every rule about behaviour over time (CGL1004-CGL1007, CGL1011):
    /// from this many steps on, dependencies count as long-range.
    /// </summary>
    public const int MediumSequence = 20;

    /// <summary>CGL1003: the bound on the gradient across the sequence is "tiny" below float32's relative precision, 2^-23.</summary>
    public static readonly double Float32Epsilon = Math.Pow(2, -23);

    /// <summary>CGL1007: spectral radius from which a random tanh RNN counts as chaotic at initialisation.</summary>
    public const double ChaoticRho = 1.5;

    /// <summary>CGL1011: an effective forget bias below this is "near 0" (nearer 0 than Jozefowicz et al.'s 1).</summary>
    public const double ForgetBiasNearZero = 0.5;

    /// <summary>
    /// CGL1012: the sequence is longer than this many memory horizons. The smallest round ratio above every
    /// published recipe (Keras' 200-step bidirectional IMDB LSTM: 62.7), tuned on GradientLab's adding problem
    /// (docs/diagnostics/validation.md).
    /// </summary>
    public const double HorizonRatio = 64;

    /// <summary>CGL1013: the largest learning rate expected for Adam, AdamW and RMSprop.</summary>
    public const double AdaptiveLearningRate = 1e-2;

    /// <summary>CGL1014: the deepest recurrent stack without residual connections that trains well.</summary>
    public const int PlainStackDepth = 4;

    /// <summary>
    /// CGL1017: the GRU rule speaks only where the per-step factor 1/2 + rho/4 is below this: under the factor of the
    /// published GRU default (Keras: orthogonal, gain 1, 0.75), which trains well on its 200-step task (a negative
    /// control), and above PyTorch's default (uniform, 0.644); tuned on GradientLab's flow tuning set (docs/diagnostics/CGL1017.md).
    /// </summary>
    public const double GruFactorLimit = 0.72;

    /// <summary>CGL1017: the share of its size below which the gradient counts as vanished over the sequence (1/1000, GradientLab's label).</summary>
    public const double VanishedShare = 1e-3;
}

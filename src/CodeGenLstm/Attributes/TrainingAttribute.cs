using System;

namespace CodeGenLstm;

/// <summary>
/// Facts about how the model will be trained, for the build-time gradient analyzers. It changes no
/// generated code. A fact left at 0 / <see cref="Optimizer.Unknown"/> is unknown, and the rules that
/// need it stay silent rather than guess.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class TrainingAttribute : Attribute
{
    /// <summary>Expected (maximum) steps per sequence; 0: unknown.</summary>
    public int SequenceLength { get; set; }

    /// <summary>The optimizer; <see cref="Optimizer.Unknown"/> by default.</summary>
    public Optimizer Optimizer { get; set; }

    /// <summary>The learning rate; 0: unknown.</summary>
    public float LearningRate { get; set; }

    /// <summary>Global-norm clipping threshold; 0: none; below 0 is a configuration error.</summary>
    public float ClipNorm { get; set; }

    /// <summary>Element-wise clipping threshold; 0: none.</summary>
    public float ClipValue { get; set; }
}

using System;

namespace CodeGenLstm;

/// <summary>
/// Facts about how the model will be trained, for the build-time gradient analyzers. It changes no
/// generated code. SequenceLength, Optimizer and LearningRate left at 0 / <see cref="Optimizer.Unknown"/>
/// are unknown, and the rules that need them stay silent rather than guess. ClipNorm and ClipValue
/// at 0 state that there is no clipping of that kind (docs/api.md): with [Training] on the class,
/// clipping is a known fact.
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

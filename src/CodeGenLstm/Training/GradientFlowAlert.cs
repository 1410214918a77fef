using System.Collections.Generic;

namespace CodeGenLstm;

/// <summary>What <see cref="GradientWatch"/> measured: the gradient flow vanished or exploded.</summary>
public enum GradientFlowProblem
{
    /// <summary>||dL/dh_0|| / ||dL/dh_(T-1)|| stayed under 1e-3 over 20 updates.</summary>
    Vanished,
    /// <summary>A loss or a gradient was not finite, or the gradient grew more than 1e3 times.</summary>
    Exploded,
}

/// <summary>The one report of a <see cref="GradientWatch"/>.</summary>
/// <param name="Problem">Vanished or exploded.</param>
/// <param name="Update">The watched update (1 for the first Trainer.Step watched) at which the label rule was met.</param>
/// <param name="Steps">T: the steps of that update's StepGradientNorms.</param>
/// <param name="Ratio">||dL/dh_0|| / ||dL/dh_(T-1)|| at that update; NaN when it could not be measured (fewer than two steps, a non-finite or zero norm at step T - 1).</param>
/// <param name="MeasuredFactor">The measured per-step factor Ratio^(1/(T-1)).</param>
/// <param name="PredictedFactor">The per-step factor the rules predict for the top recurrent layer (gamma * rho for an Rnn, sigma(b_f) for an Lstm); NaN for a Gru.</param>
/// <param name="PredictedBy">The CGL rules that fire for this model at this T and predict this problem; empty when none does.</param>
/// <param name="Message">The report in the analyzers' terms, one paragraph.</param>
public sealed record GradientFlowAlert(
    GradientFlowProblem Problem,
    long Update,
    int Steps,
    double Ratio,
    double MeasuredFactor,
    double PredictedFactor,
    IReadOnlyList<string> PredictedBy,
    string Message)
{
    /// <summary>The message.</summary>
    public override string ToString() => Message;
}

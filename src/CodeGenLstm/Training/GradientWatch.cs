using System;
using System.Collections.Generic;
using System.Globalization;

namespace CodeGenLstm;

/// <summary>
/// Watches a <see cref="Trainer"/>'s updates for the gradient flow to vanish or explode, and reports it
/// once, in the terms of the gradient analyzers (CGL1xxx, docs/diagnostics), naming the rule that predicts
/// it for this model at the measured T, or saying that none does. Set it as <see cref="Trainer.Watch"/>.
/// </summary>
/// <remarks>
/// The label rule is that of docs/diagnostics/gradient-validation.md, with the loss at the last step
/// (Readout.LastStep) in mind: r = ||dL/dh_0|| / ||dL/dh_(T-1)|| from <see cref="ISequenceModel.StepGradientNorms"/>.
/// Exploded: a loss, the gradient norm or a step norm is not finite, or r &gt; 1e3, or the global gradient norm
/// before clipping is more than 1e3 times that of the first watched update. Vanished: r &lt; 1e-3 at an update
/// and at the update 19 before it (updates 1 and 20 first, as the label rule). Watching allocates nothing per
/// update; the one report is built when the rule is met.
/// </remarks>
public sealed class GradientWatch
{
    /// <summary>r under this is "vanished" (at two updates <see cref="VanishedWindow"/> - 1 apart).</summary>
    public const double VanishedRatio = 1e-3;

    /// <summary>r, or the growth of the global gradient norm since the first watched update, above this is "exploded".</summary>
    public const double ExplodedFactor = 1e3;

    /// <summary>The updates over which r must stay under <see cref="VanishedRatio"/>: it is checked at the first and the last.</summary>
    public const int VanishedWindow = 20;

    private readonly Action<GradientFlowAlert>? _onAlert;
    private readonly double[] _ratios = new double[VanishedWindow];
    private float _firstNorm = float.NaN;

    /// <summary>Creates a watch.</summary>
    /// <param name="onAlert">Called once, with the report, when the flow vanishes or explodes; null to read <see cref="Alert"/> instead.</param>
    public GradientWatch(Action<GradientFlowAlert>? onAlert = null)
    {
        _onAlert = onAlert;
    }

    /// <summary>Updates watched so far (every Trainer.Step until the report, skipped ones included).</summary>
    public long Updates { get; private set; }

    /// <summary>The report; null while the flow has neither vanished nor exploded. Once set, the watch stops.</summary>
    public GradientFlowAlert? Alert { get; private set; }

    /// <summary>Called by <see cref="Trainer.Step"/> after the model's Backward, before clipping.</summary>
    internal void Observe(ISequenceModel model, float loss, float gradientNorm)
    {
        if (Alert is not null) return;
        long update = ++Updates;
        ReadOnlySpan<float> norms = model.StepGradientNorms;
        int steps = norms.Length;
        bool finite = float.IsFinite(loss) && float.IsFinite(gradientNorm);
        for (int t = 0; t < steps && finite; t++) finite = float.IsFinite(norms[t]);
        double last = steps >= 2 ? norms[steps - 1] : double.NaN;
        double ratio = finite && last > 0 ? norms[0] / last : double.NaN;
        if (update == 1) _firstNorm = gradientNorm;

        if (!finite)
            Report(model, GradientFlowProblem.Exploded, update, steps, ratio,
                string.Format(CultureInfo.InvariantCulture, "a loss, the gradient norm or a step norm was not finite at update {0}", update));
        else if (ratio > ExplodedFactor)
            Report(model, GradientFlowProblem.Exploded, update, steps, ratio,
                string.Format(CultureInfo.InvariantCulture, "||dL/dh_0|| / ||dL/dh_(T-1)|| = {0} over T = {1} steps at update {2} (above {3})",
                    Format(ratio), steps, update, Format(ExplodedFactor)));
        else if (_firstNorm > 0 && gradientNorm > ExplodedFactor * _firstNorm)
            Report(model, GradientFlowProblem.Exploded, update, steps, ratio,
                string.Format(CultureInfo.InvariantCulture, "the gradient norm before clipping grew from {0} at update 1 to {1} at update {2} (more than {3} times)",
                    Format(_firstNorm), Format(gradientNorm), update, Format(ExplodedFactor)));
        else
        {
            // Update u is kept at (u - 1) mod 20; the update 19 before it is at (u - 20) mod 20.
            _ratios[(update - 1) % VanishedWindow] = ratio;
            if (update >= VanishedWindow && ratio < VanishedRatio && _ratios[(update - VanishedWindow) % VanishedWindow] < VanishedRatio)
                Report(model, GradientFlowProblem.Vanished, update, steps, ratio,
                    string.Format(CultureInfo.InvariantCulture, "||dL/dh_0|| / ||dL/dh_(T-1)|| = {0} over T = {1} steps at update {2}, and under {3} at update {4} too",
                        Format(ratio), steps, update, Format(VanishedRatio), update - VanishedWindow + 1));
        }
    }

    private void Report(ISequenceModel model, GradientFlowProblem problem, long update, int steps, double ratio, string what)
    {
        var ids = new List<string>();
        LayerArchitecture? top = null;
        bool firstStepFarFromLoss = GradientRules.FirstStepFarFromLoss(model.Architecture);
        foreach (LayerArchitecture layer in model.Architecture)
        {
            if (!layer.IsRecurrent) continue;
            top = layer;
            GradientRules.Predicting(layer, steps, problem, firstStepFarFromLoss, ids);
        }
        double measured = steps >= 2 && ratio > 0 ? Math.Pow(ratio, 1.0 / (steps - 1)) : double.NaN;
        double predicted = top is null ? double.NaN : GradientRules.PredictedFactor(top);

        var c = CultureInfo.InvariantCulture;
        string message = (problem == GradientFlowProblem.Vanished ? "The gradient vanished: " : "The gradient exploded: ") + what + ".";
        if (!double.IsNaN(measured))
        {
            message += string.Format(c, " Measured factor per step back: {0}", Format(measured));
            if (!double.IsNaN(predicted))
                message += string.Format(c, "; predicted at initialisation: {0} ({1} of '{2}')", Format(predicted),
                    top!.Type switch { LayerType.Lstm => "sigma(b_f)", LayerType.Gru => "1/2 + rho(W_hn)/4", _ => "gamma * rho" }, top.Name);
            message += ".";
        }
        message += ids.Count > 0
            ? string.Format(c, " Predicted by {0} for this model at T = {1}.", string.Join(", ", ids), steps)
            : string.Format(c, " No CGL rule predicted it for this model at T = {0}.", steps);

        var alert = new GradientFlowAlert(problem, update, steps, ratio, measured, predicted, ids.AsReadOnly(), message);
        Alert = alert;
        _onAlert?.Invoke(alert);
    }

    private static string Format(double value) => GradientRules.Format(value);
}

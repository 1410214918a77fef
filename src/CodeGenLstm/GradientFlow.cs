using System;
using System.Globalization;

namespace CodeGenLstm;

/// <summary>
/// The run-time picture of vanishing and exploding gradients: turns a model's
/// <see cref="ISequenceModel.StepGradientNorms"/> profile (||dL/dh_t|| of the top recurrent layer at each
/// step t, computed during backpropagation through time) into a per-step decay ratio and a memory
/// horizon, flags non-finite values, and reports the global gradient norm. The build-time analyzers
/// (CGL1xxx, docs/diagnostics) predict the same quantities from the declaration; this measures them.
/// </summary>
/// <remarks>
/// <para>
/// The decay ratio r is the geometric-mean factor by which the gradient shrinks per step going back in
/// time, fitted by least squares on the log norms: ln ||dL/dh_t|| ~ a + b t over the usable steps, and
/// r = exp(-b). With the loss at the last step only (a LastStep read-out), ||dL/dh_t|| ~ r^(T-1-t): r &lt; 1
/// means vanishing, r &gt; 1 exploding. The fit uses every usable step rather than the ratio of the two
/// ends, so one noisy step moves it little.
/// </para>
/// <para>
/// Usable steps are finite and above 0. A zero (a padded step, or a gradient that underflowed) has no
/// logarithm and is counted in <see cref="GradientFlowReport.ZeroSteps"/>; a NaN or an infinity is counted
/// in <see cref="GradientFlowReport.NonFiniteSteps"/> and makes <see cref="GradientFlowReport.IsFinite"/>
/// false: the step that produced it should be skipped, as <see cref="Clip.GlobalNorm"/> suggests.
/// </para>
/// <para>
/// With a loss at every step (EachStep), each step adds fresh gradient, so the profile flattens; the
/// ratio then measures how much more the late steps receive, not a pure decay. For a bidirectional top
/// layer the norm of both directions is taken together and the profile is roughly symmetric.
/// </para>
/// </remarks>
public static class GradientFlow
{
    /// <summary>Analyses a profile of per-step gradient norms (oldest step first), without a global norm.</summary>
    public static GradientFlowReport Analyze(ReadOnlySpan<float> stepNorms) => Analyze(stepNorms, null);

    /// <summary>
    /// Analyses <paramref name="model"/>'s last Backward: its <see cref="ISequenceModel.StepGradientNorms"/>
    /// and the global L2 norm of its <see cref="ISequenceModel.Gradients"/> (call it before clipping to see
    /// what clipping will do).
    /// </summary>
    public static GradientFlowReport Analyze(ISequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Analyze(model.StepGradientNorms, GlobalNorm(model.Gradients));
    }

    /// <summary>Analyses a profile, reporting <paramref name="globalNorm"/> with it (null: not known).</summary>
    public static GradientFlowReport Analyze(ReadOnlySpan<float> stepNorms, float? globalNorm)
    {
        int nonFinite = 0, zeros = 0, firstNonFinite = -1, usable = 0;
        // Least squares of y = ln(norm) on t, accumulated around the running means (Welford) for accuracy.
        double meanT = 0, meanY = 0, sxx = 0, sxy = 0;
        for (int t = 0; t < stepNorms.Length; t++)
        {
            float norm = stepNorms[t];
            if (!float.IsFinite(norm))
            {
                nonFinite++;
                if (firstNonFinite < 0) firstNonFinite = t;
                continue;
            }
            if (!(norm > 0f))
            {
                zeros++;
                continue;
            }
            usable++;
            double y = Math.Log(norm);
            double dt = t - meanT;
            meanT += dt / usable;
            meanY += (y - meanY) / usable;
            sxx += dt * (t - meanT);
            sxy += dt * (y - meanY);
        }
        double ratio = usable >= 2 && sxx > 0 ? Math.Exp(-sxy / sxx) : double.NaN;
        return new GradientFlowReport(stepNorms.Length, ratio, usable, zeros, nonFinite, firstNonFinite, globalNorm);
    }

    /// <summary>The per-step decay ratio of a profile (see the class remarks); NaN with fewer than two usable steps.</summary>
    public static double DecayRatio(ReadOnlySpan<float> stepNorms) => Analyze(stepNorms).DecayRatio;

    /// <summary>
    /// Steps for a gradient that shrinks by <paramref name="decayRatio"/> per step to fall by
    /// <paramref name="factor"/>: ln(factor) / ln(1 / decayRatio). +infinity when the ratio is 1 or more (it
    /// never falls), NaN when the ratio is NaN.
    /// </summary>
    /// <param name="decayRatio">Per-step ratio, above 0.</param>
    /// <param name="factor">How far it must fall, above 1; e (the e-folding time) by default.</param>
    public static double MemoryHorizon(double decayRatio, double factor = Math.E)
    {
        if (!(factor > 1) || double.IsInfinity(factor))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be a finite number above 1.");
        if (double.IsNaN(decayRatio)) return double.NaN;
        if (!(decayRatio > 0))
            throw new ArgumentOutOfRangeException(nameof(decayRatio), decayRatio, "The decay ratio must be above 0.");
        return decayRatio >= 1 ? double.PositiveInfinity : Math.Log(factor) / -Math.Log(decayRatio);
    }

    /// <summary>The global L2 norm of all gradients, as <see cref="Clip.Norm"/> (accumulated in double).</summary>
    public static float GlobalNorm(ReadOnlySpan<float> gradients) => Clip.Norm(gradients);
}

/// <summary>What <see cref="GradientFlow"/> read from one profile.</summary>
/// <param name="Steps">Steps in the profile.</param>
/// <param name="DecayRatio">Per-step factor by which the gradient shrinks going back in time (below 1: vanishing; above 1: exploding); NaN with fewer than two usable steps.</param>
/// <param name="UsableSteps">Steps with a finite norm above 0, the ones the fit used.</param>
/// <param name="ZeroSteps">Steps whose norm is 0 (padding, or underflow).</param>
/// <param name="NonFiniteSteps">Steps whose norm is NaN or infinite.</param>
/// <param name="FirstNonFiniteStep">The first such step, or -1.</param>
/// <param name="GlobalNorm">The global L2 norm of the gradients, or null when not given.</param>
public sealed record GradientFlowReport(
    int Steps,
    double DecayRatio,
    int UsableSteps,
    int ZeroSteps,
    int NonFiniteSteps,
    int FirstNonFiniteStep,
    float? GlobalNorm)
{
    /// <summary>False when a step norm or the global norm is NaN or infinite.</summary>
    public bool IsFinite => NonFiniteSteps == 0 && (GlobalNorm is not { } norm || float.IsFinite(norm));

    /// <summary>Steps for the gradient to fall by e going back in time (the e-folding time); +infinity when it does not fall.</summary>
    public double MemoryHorizon => GradientFlow.MemoryHorizon(DecayRatio);

    /// <summary>Steps for the gradient to fall by <paramref name="factor"/> going back in time.</summary>
    public double HorizonFor(double factor) => GradientFlow.MemoryHorizon(DecayRatio, factor);

    /// <summary>One line for a training log.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string flow = double.IsNaN(DecayRatio)
            ? "too few usable steps for a decay ratio"
            : string.Format(c, "gradient x{0:G3} per step back, horizon {1} steps", DecayRatio,
                double.IsPositiveInfinity(MemoryHorizon) ? "unbounded" : MemoryHorizon.ToString("G3", c));
        string text = string.Format(c, "{0} steps: {1}", Steps, flow);
        if (NonFiniteSteps > 0) text += string.Format(c, "; {0} non-finite from step {1}", NonFiniteSteps, FirstNonFiniteStep);
        if (ZeroSteps > 0) text += string.Format(c, "; {0} zero", ZeroSteps);
        if (GlobalNorm is { } norm) text += string.Format(c, "; global norm {0:G3}", norm);
        return text;
    }
}

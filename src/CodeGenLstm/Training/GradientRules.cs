using System;
using System.Collections.Generic;
using System.Globalization;

namespace CodeGenLstm;

/// <summary>
/// The gradient analyzers' quantities and rule conditions about the recurrence, evaluated at run time on a
/// model's <see cref="ISequenceModel.Architecture"/> and the T it was trained on, so that
/// <see cref="GradientWatch"/> can name the rule that predicts what it measured. The runtime cannot see the
/// build's diagnostics (T may have been unknown then, a warning may be suppressed), so it asks which rule
/// fires for these facts at this T. This mirrors generators/CodeGenLstm.Generators/Analyzers
/// (RecurrentSpectrum, FastGradientDecay, GradientStabilityAnalyzer's time rules, GradientThresholds): the
/// generator cannot reference the runtime nor the runtime the generator. GradientRuleMirrorTests (in
/// the generator tests) runs the real analyzer over a grid of declarations and T and fails when the two differ.
/// </summary>
internal static class GradientRules
{
    // GradientThresholds, mirrored.
    private const int LongSequence = 50;
    private const int MediumSequence = 20;
    private const double ChaoticRho = 1.5;
    private const double ForgetBiasNearZero = 0.5;
    private const double HorizonRatio = 64;
    private const double GruFactorLimit = 0.72;
    private const double VanishedShare = 1e-3;
    private static readonly double Float32Epsilon = Math.Pow(2, -23);

    /// <summary>CGL1015's "1%": the share of its size the gradient falls below.</summary>
    private const double Remaining = 0.01;

    /// <summary>Gate blocks of a recurrent cell.</summary>
    private static int Gates(LayerType type) => type switch { LayerType.Lstm => 4, LayerType.Gru => 3, _ => 1 };

    /// <summary>rho and sigma_max of one gate block of weight_hh at initialisation (RecurrentSpectrum.Of).</summary>
    public static (double Rho, double SigmaMax) Spectrum(LayerArchitecture layer)
    {
        double gain = layer.InitGain;
        switch (layer.Init)
        {
            case RecurrentInit.XavierUniform:
                double rho = gain * Math.Sqrt(2.0 / (Gates(layer.Type) + 1));
                return (rho, 2 * rho);
            case RecurrentInit.Orthogonal:
            case RecurrentInit.Identity:
                return (gain, gain);
            default:
                return (gain / Math.Sqrt(3), 2 * gain / Math.Sqrt(3));
        }
    }

    /// <summary>gamma: the bound of the activation's derivative.</summary>
    public static double Gamma(Activation activation) => activation == Activation.Sigmoid ? 0.25 : 1.0;

    /// <summary>The logistic sigmoid.</summary>
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>
    /// The per-step factor the rules predict for a recurrent layer, as gradient-validation.md compares it with
    /// the measured one: gamma * rho for a plain Rnn, sigma(b_f) for an Lstm, 1/2 + rho(W_hn)/4 for a Gru
    /// (GruGradientDecay.Factor); NaN for the other layers.
    /// </summary>
    public static double PredictedFactor(LayerArchitecture layer) => layer.Type switch
    {
        LayerType.Rnn => Gamma(layer.Activation) * Spectrum(layer).Rho,
        LayerType.Lstm => Sigmoid(layer.ForgetBias),
        LayerType.Gru => 0.5 + Spectrum(layer).Rho / 4,
        _ => double.NaN,
    };

    /// <summary>
    /// True when the loss reaches the first step only across the whole sequence (GruGradientDecay.FirstStepFarFromLoss):
    /// the last layer is a Dense with Readout.LastStep and no recurrent layer is bidirectional.
    /// </summary>
    public static bool FirstStepFarFromLoss(IReadOnlyList<LayerArchitecture> layers)
    {
        if (layers.Count == 0 || layers[^1] is not { Type: LayerType.Dense, Readout: Readout.LastStep }) return false;
        foreach (LayerArchitecture layer in layers)
            if (layer.IsRecurrent && layer.Bidirectional) return false;
        return true;
    }

    /// <summary>CGL1015's k: the fewest steps with factor^k below 1%; null when the factor is not below 1.</summary>
    public static int? StepsToFall(double factor)
    {
        if (!(factor > 0 && factor < 1)) return factor == 0 ? 1 : null;
        double steps = Math.Log(Remaining) / Math.Log(factor);
        return steps >= int.MaxValue ? null : (int)Math.Floor(steps) + 1;
    }

    /// <summary>
    /// Adds to <paramref name="ids"/> the rules about the recurrence that fire for <paramref name="layer"/>
    /// trained on <paramref name="steps"/> steps and predict <paramref name="problem"/>: CGL1001-CGL1007,
    /// CGL1011, CGL1012 as with [Training(SequenceLength = steps)], CGL1015 (which speaks when T is not
    /// declared), and CGL1017 for a Gru when <paramref name="firstStepFarFromLoss"/> (see
    /// <see cref="FirstStepFarFromLoss"/>). CGL1006 predicts either problem (its page: contracting or expanding).
    /// </summary>
    public static void Predicting(LayerArchitecture layer, int steps, GradientFlowProblem problem, bool firstStepFarFromLoss, List<string> ids)
    {
        bool vanishing = problem == GradientFlowProblem.Vanished;
        if (layer.Type == LayerType.Rnn)
        {
            var (rho, sigmaMax) = Spectrum(layer);
            double product = Gamma(layer.Activation) * sigmaMax;
            bool longRange = steps >= MediumSequence;
            int transitions = steps - 1;
            if (vanishing && layer.Activation != Activation.Relu && longRange)
                Add(ids, steps >= LongSequence ? "CGL1001" : "CGL1002");
            if (vanishing && product < 1 && transitions > 0 && transitions * Math.Log(product) < Math.Log(Float32Epsilon))
                Add(ids, "CGL1003");
            if (longRange)
            {
                if (vanishing && layer.Activation == Activation.Sigmoid && product < 1) Add(ids, "CGL1004");
                if (!vanishing && layer.Activation == Activation.Relu && rho > 1) Add(ids, "CGL1005");
                if (layer.Activation == Activation.Relu && layer.Init is RecurrentInit.Uniform or RecurrentInit.XavierUniform) Add(ids, "CGL1006");
                if (!vanishing && layer.Activation == Activation.Tanh && rho >= ChaoticRho) Add(ids, "CGL1007");
            }
            if (vanishing && StepsToFall(Gamma(layer.Activation) * rho) is { } k && k < MediumSequence) Add(ids, "CGL1015");
        }
        else if (layer.Type == LayerType.Gru && vanishing && firstStepFarFromLoss)
        {
            double factor = PredictedFactor(layer);
            if (factor < GruFactorLimit && steps >= MediumSequence && (steps - 1) * Math.Log(factor) < Math.Log(VanishedShare))
                Add(ids, "CGL1017");
        }
        else if (layer.Type == LayerType.Lstm && vanishing)
        {
            double bias = layer.ForgetBias;
            if (bias < ForgetBiasNearZero)
            {
                if (steps >= MediumSequence) Add(ids, "CGL1011");
            }
            else
            {
                double keep = Sigmoid(bias);
                double horizon = keep >= 1 ? double.PositiveInfinity : -1 / Math.Log(keep);
                if (steps > HorizonRatio * horizon) Add(ids, "CGL1012");
            }
        }
    }

    /// <summary>
    /// A number as the analyzers' messages print it (Numbers.Format): about three significant digits, whole
    /// numbers from 100 to 1e5, "5.1e-7" beyond, invariant culture.
    /// </summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "infinity" : "-infinity";
        if (value == 0) return "0";
        double magnitude = Math.Abs(value);
        if (magnitude >= 100 && magnitude < 1e5) return Math.Round(value).ToString("0", CultureInfo.InvariantCulture);
        if (magnitude >= 1e-3 && magnitude < 100) return value.ToString("G3", CultureInfo.InvariantCulture);
        double log10 = Math.Log10(magnitude);
        double exponent = Math.Floor(log10);
        double mantissa = Math.Round(Math.Pow(10, log10 - exponent), 1);
        if (mantissa >= 10)
        {
            mantissa /= 10;
            exponent += 1;
        }
        string text = mantissa.ToString("0.#", CultureInfo.InvariantCulture) + "e" + exponent.ToString("0", CultureInfo.InvariantCulture);
        return value < 0 ? "-" + text : text;
    }

    private static void Add(List<string> ids, string id)
    {
        if (!ids.Contains(id)) ids.Add(id);
    }
}

using System;
using System.Globalization;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// What the gradient rules know about a recurrent layer's initial weight_hh, per gate block
/// (H x H), from its Init and InitGain alone. Two different quantities, never mixed:
/// <list type="bullet">
/// <item><see cref="SigmaMax"/>, the largest singular value: Pascanu et al. (2013, sec. 2.1) bound the
/// Jacobian of one step by gamma * sigma_max, so gamma * sigma_max &lt; 1 proves vanishing and
/// gamma * sigma_max &gt; 1 is necessary for explosion.</item>
/// <item><see cref="Rho"/>, the spectral radius: the rate at which W^k grows or shrinks for large k
/// (Gelfand), the quantity of the chaos transition and of the ReLU explosion.</item>
/// </list>
/// For i.i.d. entries of standard deviation s, rho ~ s sqrt(H) (circular law) and
/// sigma_max ~ 2 s sqrt(H) (Bai-Yin); both are asymptotic in H and within a few percent for H >= 32.
/// PyTorch's default, uniform +-gain/sqrt(H), has s = gain/sqrt(3H): rho ~ 0.577 gain,
/// sigma_max ~ 1.15 gain. Orthogonal and identity matrices have every singular value and every
/// eigenvalue modulus equal to the gain.
/// </summary>
internal readonly struct RecurrentSpectrum
{
    private RecurrentSpectrum(double rho, double sigmaMax)
    {
        Rho = rho;
        SigmaMax = sigmaMax;
    }

    /// <summary>Spectral radius of one gate block of weight_hh at initialisation.</summary>
    public double Rho { get; }

    /// <summary>Largest singular value of one gate block of weight_hh at initialisation.</summary>
    public double SigmaMax { get; }

    public static RecurrentSpectrum Of(LayerSpec layer)
    {
        double gain = layer.InitGain;
        switch (layer.Init)
        {
            case InitKind.XavierUniform:
            {
                // Glorot uniform over the whole [gates*H, H] matrix: bound gain*sqrt(6/((gates+1)H)),
                // standard deviation gain*sqrt(2/((gates+1)H)).
                double rho = gain * Math.Sqrt(2.0 / (layer.Gates + 1));
                return new RecurrentSpectrum(rho, 2 * rho);
            }
            case InitKind.Orthogonal:
            case InitKind.Identity:
                return new RecurrentSpectrum(gain, gain);
            default:
                // Uniform +-gain/sqrt(H): standard deviation gain/sqrt(3H).
                return new RecurrentSpectrum(gain / Math.Sqrt(3), 2 * gain / Math.Sqrt(3));
        }
    }

    /// <summary>gamma: the bound of the activation's derivative (1 for tanh and ReLU, 1/4 for the logistic sigmoid).</summary>
    public static double Gamma(ActivationKind activation) => activation == ActivationKind.Sigmoid ? 0.25 : 1.0;

    /// <summary>"1" or "1/4", as the messages print gamma.</summary>
    public static string GammaText(ActivationKind activation) => activation == ActivationKind.Sigmoid ? "1/4" : "1";

    /// <summary>The activation as the messages name it.</summary>
    public static string ActivationText(ActivationKind activation) => activation switch
    {
        ActivationKind.Relu => "ReLU",
        ActivationKind.Sigmoid => "sigmoid",
        _ => "tanh",
    };

    /// <summary>"Init = Uniform" or "Init = Orthogonal, InitGain = 1.5": where the numbers come from.</summary>
    public static string InitText(LayerSpec layer)
    {
        string text = "Init = " + layer.Init;
        return layer.InitGain == 1f ? text : text + ", InitGain = " + Numbers.Format(layer.InitGain);
    }

    /// <summary>The logistic sigmoid.</summary>
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>
    /// The LSTM memory horizon at initialisation: the steps for the cell's content to fall by e when the
    /// forget gate sits at sigma(b_f), -1/ln(sigma(b_f)). Infinite when sigma(b_f) rounds to 1.
    /// </summary>
    public static double MemoryHorizon(double forgetBias)
    {
        double keep = Sigmoid(forgetBias);
        return keep >= 1 ? double.PositiveInfinity : -1 / Math.Log(keep);
    }
}

/// <summary>How the messages print numbers: about three significant digits, invariant culture.</summary>
internal static class Numbers
{
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "infinity" : "-infinity";
        if (value == 0) return "0";
        double magnitude = Math.Abs(value);
        if (magnitude >= 100 && magnitude < 1e5) return Math.Round(value).ToString("0", CultureInfo.InvariantCulture);
        if (magnitude >= 1e-3 && magnitude < 100) return value.ToString("G3", CultureInfo.InvariantCulture);
        return Scientific(Math.Sign(value), Math.Log10(magnitude));
    }

    /// <summary>baseValue^exponent, computed in log space so that 0.29^999 prints as 1.2e-537 instead of 0.</summary>
    public static string Power(double baseValue, double exponent)
    {
        double log10 = exponent * Math.Log10(baseValue);
        // Not finite (a base that is 0, negative, infinite or NaN): Format says so in words.
        if (double.IsNaN(log10) || double.IsInfinity(log10) || (log10 > -3 && log10 < 5)) return Format(Math.Pow(baseValue, exponent));
        return Scientific(1, log10);
    }

    private static string Scientific(int sign, double log10)
    {
        double exponent = Math.Floor(log10);
        double mantissa = Math.Round(Math.Pow(10, log10 - exponent), 1);
        if (mantissa >= 10)
        {
            mantissa /= 10;
            exponent += 1;
        }
        string text = mantissa.ToString("0.#", CultureInfo.InvariantCulture) + "e" + exponent.ToString("0", CultureInfo.InvariantCulture);
        return sign < 0 ? "-" + text : text;
    }
}

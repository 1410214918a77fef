using System;
using System.ComponentModel;

namespace CodeGenLstm.Generated;

/// <summary>
/// The initialisation of one direction of one stacked recurrent layer, the same for every cell and size, so
/// written once here: the generated constructor calls it for each direction in state_dict order, with the one
/// <see cref="Rng"/> of the model, so a seed still determines every weight.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RecurrentInitialization
{
    /// <summary>
    /// Fills the four tensors of a direction, drawing from <paramref name="rng"/> in state_dict order: weight_ih
    /// [gates * hidden, input] uniform in ±bound, bound = 1/sqrt(hidden) as PyTorch's recurrent modules; weight_hh
    /// [gates * hidden, hidden] by <paramref name="init"/> (Uniform: ±gain * bound; XavierUniform: Glorot over the
    /// whole matrix, times gain; Orthogonal: each gate's [hidden, hidden] block orthogonal, times gain; Identity:
    /// gain * I); bias_ih and bias_hh [gates * hidden] uniform in ±bound. Then, when <paramref name="forgetGate"/> is
    /// not negative (LSTM), the forget gate's slice of bias_ih holds <paramref name="forgetBias"/> and that of bias_hh 0.
    /// The offsets are where each tensor starts in <paramref name="parameters"/>.
    /// </summary>
    public static void Direction(Span<float> parameters, int weightIh, int weightHh, int biasIh, int biasHh,
        int input, int hidden, int gates, RecurrentInit init, float gain, int forgetGate, float forgetBias, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int width = gates * hidden;  // G: the rows of every tensor of the direction
        float bound = 1f / MathF.Sqrt(hidden);
        Initializers.Uniform(parameters.Slice(weightIh, width * input), bound, rng);
        Span<float> recurrent = parameters.Slice(weightHh, width * hidden);
        switch (init)
        {
            case RecurrentInit.XavierUniform:
                Initializers.XavierUniform(recurrent, width, hidden, gain, rng);
                break;
            case RecurrentInit.Orthogonal:
                for (int gate = 0; gate < gates; gate++)
                    Initializers.Orthogonal(recurrent.Slice(gate * hidden * hidden, hidden * hidden), hidden, hidden, gain, rng);
                break;
            case RecurrentInit.Identity:
                Initializers.Identity(recurrent, hidden, gain);
                break;
            default:
                Initializers.Uniform(recurrent, gain == 1f ? bound : gain * bound, rng);
                break;
        }
        Initializers.Uniform(parameters.Slice(biasIh, width), bound, rng);
        Initializers.Uniform(parameters.Slice(biasHh, width), bound, rng);
        if (forgetGate < 0) return;
        parameters.Slice(biasIh + forgetGate * hidden, hidden).Fill(forgetBias);
        parameters.Slice(biasHh + forgetGate * hidden, hidden).Clear();
    }
}

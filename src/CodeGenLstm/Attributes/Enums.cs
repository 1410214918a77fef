namespace CodeGenLstm;

/// <summary>Initialiser of a recurrent layer's <c>weight_hh</c>.</summary>
public enum RecurrentInit
{
    /// <summary>PyTorch's default: uniform in ±InitGain/sqrt(hidden).</summary>
    Uniform,
    /// <summary>Glorot uniform: ±InitGain * sqrt(6 / (fan_in + fan_out)) over the whole [gates*H, H] matrix.</summary>
    XavierUniform,
    /// <summary>Each gate's H x H block a random orthogonal matrix times InitGain (Saxe et al. 2014).</summary>
    Orthogonal,
    /// <summary>InitGain times the identity (Le et al. 2015, IRNN); Rnn only.</summary>
    Identity,
}

/// <summary>Nonlinearity of a plain <see cref="RnnAttribute"/> layer.</summary>
public enum Activation
{
    /// <summary>Hyperbolic tangent (PyTorch's default).</summary>
    Tanh,
    /// <summary>Rectified linear unit (PyTorch's <c>nonlinearity='relu'</c>).</summary>
    Relu,
    /// <summary>Logistic sigmoid; no PyTorch twin, for experiments on vanishing gradients.</summary>
    Sigmoid,
}

/// <summary>How a <see cref="DenseAttribute"/> reads its input.</summary>
public enum Readout
{
    /// <summary>Outputs at every step; padded steps are zero.</summary>
    EachStep,
    /// <summary>One output per sequence, from the last valid step (with a bidirectional layer below: PyTorch's h_n).</summary>
    LastStep,
}

/// <summary>The optimizer named in <see cref="TrainingAttribute"/>.</summary>
public enum Optimizer
{
    /// <summary>Not stated.</summary>
    Unknown,
    /// <summary>Plain stochastic gradient descent.</summary>
    Sgd,
    /// <summary>SGD with momentum.</summary>
    SgdMomentum,
    /// <summary>Adam (Kingma and Ba 2015).</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter 2019).</summary>
    AdamW,
    /// <summary>RMSProp (Tieleman and Hinton 2012).</summary>
    RmsProp,
}

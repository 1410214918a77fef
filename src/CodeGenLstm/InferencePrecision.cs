namespace CodeGenLstm;

/// <summary>
/// The precision of the recurrent weights (<c>weight_hh</c>) that a model's inference calls stream at every step.
/// At batch 1 the recurrence reads every recurrent weight at every step and is bound by those bytes, so fewer
/// bytes per weight run faster. <c>Parameters</c> stays float32 and stays the source of truth: the reduced copy is
/// rebuilt from it when the weights change. Training (Forward with <c>training: true</c>) and Backward always run in
/// float32, and <c>ExportParameters</c> always exports float32.
/// </summary>
public enum InferencePrecision
{
    /// <summary>Every weight in float32 (the default).</summary>
    Float32,

    /// <summary>
    /// Recurrent weights stored as bfloat16 (float32 rounded to nearest even, 8 bits of mantissa), computed in
    /// float32: half the bytes, close to lossless.
    /// </summary>
    BFloat16,

    /// <summary>
    /// Recurrent weights stored as int8 with one symmetric scale per weight row (per gate and hidden unit), and the
    /// state h quantized to int8 at every step with one symmetric scale per sequence (its largest magnitude / 127);
    /// products summed in int32, exactly. A quarter of the bytes.
    /// </summary>
    Int8,
}

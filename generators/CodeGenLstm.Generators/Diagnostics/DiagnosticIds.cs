namespace CodeGenLstm.Generators.Diagnostics;

/// <summary>
/// Every diagnostic id, as a constant shared by the analyzers, the code fixes and the tests.
/// CGL0xxx: the declaration cannot be generated. CGL1xxx: gradient stability.
/// </summary>
internal static class DiagnosticIds
{
    public const string ClassNotPartial = "CGL0001";
    public const string SplitDeclaration = "CGL0002";
    public const string SizeOutOfRange = "CGL0003";
    public const string FirstLayerNeedsInputSize = "CGL0004";
    public const string EmbeddingNotFirst = "CGL0005";
    public const string LayerAfterLastStep = "CGL0006";
    public const string InputSizeMismatch = "CGL0007";
    public const string InvalidValue = "CGL0008";
    public const string UnsupportedCombination = "CGL0009";
    public const string DuplicateName = "CGL0010";
    public const string ModelTooLarge = "CGL0011";
    public const string UnsupportedClass = "CGL0012";
    public const string InvalidTrainingFact = "CGL0013";
    public const string TrainingWithoutLayers = "CGL0014";
    public const string DenseAboveRecurrent = "CGL0015";
    public const string AboveMaximum = "CGL0016";
    public const string GeneratedNameTaken = "CGL0017";

    public const string PlainRnnLongSequence = "CGL1001";
    public const string PlainRnnMediumSequence = "CGL1002";
    public const string ProvableVanishing = "CGL1003";
    public const string SigmoidRecurrence = "CGL1004";
    public const string ReluExplosion = "CGL1005";
    public const string ReluWithoutIdentityInit = "CGL1006";
    public const string ChaoticTanhInit = "CGL1007";
    public const string MissingClipping = "CGL1008";
    public const string ClipThresholdNotPositive = "CGL1009";
    public const string ClipByValueOnly = "CGL1010";
    public const string ForgetBiasNearZero = "CGL1011";
    public const string ShortMemoryHorizon = "CGL1012";
    public const string LearningRateTooHigh = "CGL1013";
    public const string DeepStackWithoutResidual = "CGL1014";
    public const string FastGradientDecay = "CGL1015";
    public const string SequenceLengthNeeded = "CGL1016";
    public const string GruGradientDecay = "CGL1017";
}

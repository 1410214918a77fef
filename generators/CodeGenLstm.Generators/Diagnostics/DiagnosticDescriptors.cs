using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the analyzers report, in one place. Each has a help page at
/// docs/diagnostics/{id}.md (what it means, the evidence, how to fix, how to silence) and can be
/// configured in .editorconfig with dotnet_diagnostic.{id}.severity. The generator reports none:
/// for what it cannot build it writes a placeholder (or nothing), and the analyzers say why.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Where the docs/diagnostics pages are published.</summary>
    public const string HelpLinkBase = "https://github.com/CodeGenLstm/CodeGenLstm/blob/main/docs/diagnostics/";

    private const string Configuration = "CodeGenLstm.Configuration";

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        DiagnosticIds.ClassNotPartial,
        "Model class must be partial",
        "'{0}' must be declared partial so that the generated model can be added to it");

    public static readonly DiagnosticDescriptor SplitDeclaration = Error(
        DiagnosticIds.SplitDeclaration,
        "Layer attributes must be on one declaration",
        "The layer attributes of '{0}' are spread over {1} partial declarations, so their order is undefined; put them on one declaration");

    public static readonly DiagnosticDescriptor SizeOutOfRange = Error(
        DiagnosticIds.SizeOutOfRange,
        "Size out of range",
        "{0} is {1}; it must be at least {2}");

    public static readonly DiagnosticDescriptor FirstLayerNeedsInputSize = Error(
        DiagnosticIds.FirstLayerNeedsInputSize,
        "The first layer must state its input size",
        "The first layer ({0}) must state the input size: give a recurrent first layer inputSize, or start the model with [Embedding]");

    public static readonly DiagnosticDescriptor EmbeddingNotFirst = Error(
        DiagnosticIds.EmbeddingNotFirst,
        "Embedding must be the first layer",
        "[Embedding] must be the first layer: it turns token ids into vectors, and only the model's input is token ids");

    public static readonly DiagnosticDescriptor LayerAfterLastStep = Error(
        DiagnosticIds.LayerAfterLastStep,
        "No layer can follow a LastStep read-out",
        "No layer can follow '{0}', a Dense read-out with Readout.LastStep: it outputs one vector per sequence, not one per step");

    public static readonly DiagnosticDescriptor InputSizeMismatch = Error(
        DiagnosticIds.InputSizeMismatch,
        "Input size does not match the layer above",
        "inputSize is {0}, but the layer above ('{1}') outputs {2} features per step; remove inputSize or make it {2}");

    public static readonly DiagnosticDescriptor InvalidValue = Error(
        DiagnosticIds.InvalidValue,
        "Invalid layer setting",
        "{0} = {1} is not valid: expected {2}");

    public static readonly DiagnosticDescriptor UnsupportedCombination = Error(
        DiagnosticIds.UnsupportedCombination,
        "Unsupported combination of settings",
        "{0} is not supported on {1}: {2}");

    public static readonly DiagnosticDescriptor DuplicateName = Error(
        DiagnosticIds.DuplicateName,
        "Two layers have the same name",
        "Two layers are named '{0}', so their tensor names would collide; give one of them another Name");

    public static readonly DiagnosticDescriptor ModelTooLarge = Error(
        DiagnosticIds.ModelTooLarge,
        "Model too large",
        "'{0}' has more than {1} parameters, more than one array can hold");

    public static readonly DiagnosticDescriptor UnsupportedClass = Error(
        DiagnosticIds.UnsupportedClass,
        "Unsupported model type",
        "'{0}' cannot hold a generated model: it is {1}; declare the model on a non-generic, non-static partial class");

    public static readonly DiagnosticDescriptor InvalidTrainingFact = Error(
        DiagnosticIds.InvalidTrainingFact,
        "Invalid training fact",
        "[Training] {0} = {1} is not valid: expected {2}");

    public static readonly DiagnosticDescriptor DenseAboveRecurrent = Error(
        DiagnosticIds.DenseAboveRecurrent,
        "Dense layer above the recurrent layers",
        "[Dense] '{0}' is above [{1}]: layer attributes are read top to bottom, so this Dense would be the first layer and read the model's input; move [Dense] below {2}");

    public static readonly DiagnosticDescriptor AboveMaximum = Error(
        DiagnosticIds.AboveMaximum,
        "Above the supported maximum",
        "{0} is {1}; the most supported is {2}");

    public static readonly DiagnosticDescriptor GeneratedNameTaken = Error(
        DiagnosticIds.GeneratedNameTaken,
        "A name the generated model needs is taken",
        "The generated code of '{0}' needs names that are taken: {1}; rename them");

    public static readonly DiagnosticDescriptor TrainingWithoutLayers = new(
        DiagnosticIds.TrainingWithoutLayers,
        "[Training] on a class without layers",
        "'{0}' has [Training] but no layer attribute, so no model is generated; add [Lstm], [Gru], [Rnn], [Embedding] or [Dense]",
        Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + DiagnosticIds.TrainingWithoutLayers + ".md");

    // ----------------------------------------------------------------------------------------------
    // CGL1xxx: gradient stability. Every message names the quantity it uses (sigma_max: the largest
    // singular value of one gate's H x H block of weight_hh; rho: its spectral radius; gamma: the bound
    // of the activation's derivative) and carries the computed numbers. Thresholds and evidence:
    // docs/diagnostics/CGL1xxx.md.
    // ----------------------------------------------------------------------------------------------

    private const string GradientStability = "CodeGenLstm.GradientStability";

    public static readonly DiagnosticDescriptor PlainRnnLongSequence = Gradient(
        DiagnosticIds.PlainRnnLongSequence, DiagnosticSeverity.Warning,
        "Plain RNN over long sequences",
        "'{0}' is a plain {1} RNN over sequences of T = {2} steps (>= 50): plain RNNs rarely learn dependencies longer than a few tens of steps (Bengio et al. 1994; Hochreiter and Schmidhuber 1997); use [Lstm] or [Gru]");

    public static readonly DiagnosticDescriptor PlainRnnMediumSequence = Gradient(
        DiagnosticIds.PlainRnnMediumSequence, DiagnosticSeverity.Warning,
        "Plain RNN over medium-length sequences",
        "'{0}' is a plain {1} RNN over sequences of T = {2} steps (20 to 49), where plain RNNs start to fail on long-range dependencies (Bengio et al. 1994); [Lstm] or [Gru] is safer");

    public static readonly DiagnosticDescriptor ProvableVanishing = Gradient(
        DiagnosticIds.ProvableVanishing, DiagnosticSeverity.Warning,
        "The gradient provably vanishes",
        "'{0}': sigma_max(W_hh) ~ {1} (largest singular value, {2}) times gamma = {3} ({4}) is {5} < 1, so the gradient carried across the {6} transitions of a {7}-step sequence is at most {5}^{6} ~ {8}, below float32's relative precision 1.2e-7 (Pascanu et al. 2013, sec. 2.1)");

    public static readonly DiagnosticDescriptor SigmoidRecurrence = Gradient(
        DiagnosticIds.SigmoidRecurrence, DiagnosticSeverity.Warning,
        "Sigmoid recurrence",
        "'{0}' uses Activation.Sigmoid, whose derivative is at most gamma = 1/4: with sigma_max(W_hh) ~ {1} ({2}) each step scales the gradient by at most {3} < 1, so over T = {4} steps it vanishes unless sigma_max exceeds 4 (Hochreiter 1991); use Activation.Tanh, or [Lstm] or [Gru]");

    public static readonly DiagnosticDescriptor ReluExplosion = Gradient(
        DiagnosticIds.ReluExplosion, DiagnosticSeverity.Warning,
        "ReLU recurrence with spectral radius above 1",
        "'{0}' uses Activation.Relu with spectral radius rho(W_hh) ~ {1} > 1 ({2}): along its leading eigenvector the state and its gradient can grow by {1} per step, {1}^{3} ~ {4} over a {5}-step sequence, and gradient clipping bounds the update, not the forward pass; start at rho = 1 (Init = RecurrentInit.Identity, InitGain = 1; Le et al. 2015)");

    public static readonly DiagnosticDescriptor ReluWithoutIdentityInit = Gradient(
        DiagnosticIds.ReluWithoutIdentityInit, DiagnosticSeverity.Warning,
        "ReLU RNN without identity or orthogonal initialisation",
        "'{0}' uses Activation.Relu with Init = RecurrentInit.{1} (spectral radius rho(W_hh) ~ {2}, sigma_max ~ {3}) over T = {4} steps: ReLU RNNs learn long-range dependencies when W_hh starts at the identity (IRNN, Le et al. 2015) or an orthogonal matrix (Saxe et al. 2014); use Init = RecurrentInit.Identity");

    public static readonly DiagnosticDescriptor ChaoticTanhInit = Gradient(
        DiagnosticIds.ChaoticTanhInit, DiagnosticSeverity.Warning,
        "tanh RNN initialised in the chaotic regime",
        "'{0}' starts with spectral radius rho(W_hh) ~ {1} >= 1.5 ({2}): a random tanh network this far above rho = 1 is chaotic (Sompolinsky et al. 1988) and, with sigma_max ~ {3} > 1/gamma = 1, its gradients can explode over T = {4} steps (Pascanu et al. 2013); use Init = RecurrentInit.Orthogonal with InitGain = 1");

    public static readonly DiagnosticDescriptor MissingClipping = Gradient(
        DiagnosticIds.MissingClipping, DiagnosticSeverity.Warning,
        "No gradient clipping where it matters",
        "'{0}' is trained without gradient clipping ({1}) where clipping matters: {2}; clip the global norm (Clip.GlobalNorm(model.Gradients, maxNorm) between Backward and Step, and ClipNorm in [Training]; Pascanu et al. 2013)");

    public static readonly DiagnosticDescriptor ClipThresholdNotPositive = Gradient(
        DiagnosticIds.ClipThresholdNotPositive, DiagnosticSeverity.Error,
        "Clipping threshold must be above 0",
        "Clip.{0} is given {1} = {2}: a threshold that is not above 0 makes it throw ArgumentOutOfRangeException; use a positive threshold (1 or 5 are common)");

    public static readonly DiagnosticDescriptor ClipByValueOnly = Gradient(
        DiagnosticIds.ClipByValueOnly, DiagnosticSeverity.Warning,
        "Element-wise clipping where norm clipping is meant",
        "'{0}' clips gradients element-wise only ({1}), which bounds each element, not the norm, and turns the gradient's direction; where clipping matters ({2}) clip the global norm (ClipNorm, Clip.GlobalNorm; Pascanu et al. 2013)");

    public static readonly DiagnosticDescriptor ForgetBiasNearZero = Gradient(
        DiagnosticIds.ForgetBiasNearZero, DiagnosticSeverity.Warning,
        "LSTM forget bias near 0",
        "'{0}' has an effective forget bias of {1} < 0.5: at initialisation the cell keeps sigma({1}) = {2} of its content per step, {2}^{3} ~ {4} across a {5}-step sequence; Jozefowicz et al. (2015) recommend a forget bias of 1 (ForgetBias = 1f keeps 0.73 per step)");

    public static readonly DiagnosticDescriptor ShortMemoryHorizon = Gradient(
        DiagnosticIds.ShortMemoryHorizon, DiagnosticSeverity.Warning,
        "LSTM memory horizon much shorter than the sequence",
        "'{0}': ForgetBias = {1} gives an initial memory horizon of -1/ln(sigma({1})) ~ {2} steps, under 1/64 of T = {3}; chrono initialisation sets the forget bias from the dependency length (Tallec and Ollivier 2018): ForgetBias = {4} gives a horizon of T/64 = {5} steps");

    public static readonly DiagnosticDescriptor LearningRateTooHigh = Gradient(
        DiagnosticIds.LearningRateTooHigh, DiagnosticSeverity.Warning,
        "Learning rate too high for an adaptive optimizer",
        "{0} with learning rate {1} > 1e-2: an adaptive step moves every weight by up to about the learning rate, {2}x the scale 1/sqrt(H) = {3} of the initial recurrent weights of '{4}' (H = {5}); Kingma and Ba (2015) and the published recipes use 1e-3 or less");

    public static readonly DiagnosticDescriptor DeepStackWithoutResidual = Gradient(
        DiagnosticIds.DeepStackWithoutResidual, DiagnosticSeverity.Warning,
        "Deep recurrent stack without residual connections",
        "'{0}' stacks {1} recurrent layers, {2} of them without a residual connection (> 4): Wu et al. (2016) found plain stacks train well up to 4 layers, barely at 6 and very poorly beyond 8; set Residual = true on '{3}'");

    public static readonly DiagnosticDescriptor FastGradientDecay = Gradient(
        DiagnosticIds.FastGradientDecay, DiagnosticSeverity.Warning,
        "The gradient falls below 1% within a few steps back",
        "'{0}': each step back scales the gradient by about gamma * rho(W_hh) ~ {1} ({2}, {3}), so the gradient falls below 1% of its size within {4} steps back, fewer than the 20 steps from which a dependency counts as long-range; whatever the sequence length, this layer cannot learn from further back at the start of training (Pascanu et al. 2013); use [Lstm] or [Gru], or {5}");

    public static readonly DiagnosticDescriptor GruGradientDecay = Gradient(
        DiagnosticIds.GruGradientDecay, DiagnosticSeverity.Warning,
        "GRU whose gradient vanishes over the sequence at initialisation",
        "'{0}': at initialisation each step back scales the gradient by about 1/2 + rho(W_hn)/4 ~ {1} (update and reset gates near 1/2, {2}), so over T - 1 = {3} steps it falls to about {1}^{3} ~ {4} of its size, below 1/1000: the GRU cannot learn from the start of a {5}-step sequence at the start of training (Pascanu et al. 2013); use Init = RecurrentInit.Orthogonal (factor 0.75, Keras' default) or shorter sequences");

    public static readonly DiagnosticDescriptor SequenceLengthNeeded = new(
        DiagnosticIds.SequenceLengthNeeded,
        "The rules about time need the sequence length",
        "'{0}' {1}; declare it with [Training(SequenceLength = ...)]",
        GradientStability, DiagnosticSeverity.Info, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + DiagnosticIds.SequenceLengthNeeded + ".md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>The gradient-stability diagnostics, by id.</summary>
    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> GradientRules = new[]
    {
        PlainRnnLongSequence, PlainRnnMediumSequence, ProvableVanishing, SigmoidRecurrence, ReluExplosion,
        ReluWithoutIdentityInit, ChaoticTanhInit, MissingClipping, ClipThresholdNotPositive, ClipByValueOnly,
        ForgetBiasNearZero, ShortMemoryHorizon, LearningRateTooHigh, DeepStackWithoutResidual,
        FastGradientDecay, SequenceLengthNeeded, GruGradientDecay,
    }.ToImmutableDictionary(d => d.Id);

    private static DiagnosticDescriptor Gradient(string id, DiagnosticSeverity severity, string title, string message) => new(
        id, title, message, GradientStability, severity, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + id + ".md");

    /// <summary>The configuration diagnostics, by id.</summary>
    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> Configurations = new[]
    {
        ClassNotPartial, SplitDeclaration, SizeOutOfRange, FirstLayerNeedsInputSize, EmbeddingNotFirst,
        LayerAfterLastStep, InputSizeMismatch, InvalidValue, UnsupportedCombination, DuplicateName,
        ModelTooLarge, UnsupportedClass, InvalidTrainingFact, TrainingWithoutLayers, DenseAboveRecurrent,
        AboveMaximum, GeneratedNameTaken,
    }.ToImmutableDictionary(d => d.Id);

    /// <summary>True when a problem with this id stops generation.</summary>
    public static bool IsError(string id) =>
        Configurations.TryGetValue(id, out DiagnosticDescriptor? descriptor) && descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    private static DiagnosticDescriptor Error(string id, string title, string message) => new(
        id, title, message, Configuration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + id + ".md");

    /// <summary>All descriptors, for SupportedDiagnostics and for the docs test.</summary>
    public static IEnumerable<DiagnosticDescriptor> All =>
        Configurations.Values.Concat(GradientRules.Values).OrderBy(d => d.Id, System.StringComparer.Ordinal);
}

using System;
using System.Collections.Generic;

namespace CodeGenLstm;

/// <summary>
/// What every generated model has, so that code that trains, checkpoints or inspects models (the
/// samples, a trainer, tests, benchmarks) can be written once. Generated classes implement
/// <see cref="IFloatSequenceModel"/> or <see cref="ITokenSequenceModel"/>; the members are those of
/// docs/api.md, and the sizes, constants on the class, are here as properties.
/// </summary>
public interface ISequenceModel
{
    /// <summary>Features per step of the input (1 for token input).</summary>
    int InputSize { get; }

    /// <summary>Features of the output per step, or per sequence when <see cref="OutputPerSequence"/>.</summary>
    int OutputSize { get; }

    /// <summary>True when the model ends in a Dense read-out with Readout.LastStep: output is [batch, OutputSize].</summary>
    bool OutputPerSequence { get; }

    /// <summary>Number of floats in <see cref="Parameters"/>.</summary>
    int ParameterCount { get; }

    /// <summary>Hidden-state floats per sequence (see SetInitialState).</summary>
    int StateSize { get; }

    /// <summary>Cell-state floats per sequence (LSTM layers only).</summary>
    int CellStateSize { get; }

    /// <summary>All weights, in <see cref="ExportParameters"/> order, each tensor row-major. The only source of truth: every call reads the weights from here.</summary>
    /// <remarks>
    /// A change written through this span (kept as long as you like) is seen by the next call. Once it has been
    /// taken, every call compares the weights with the copies its packed panels were made from; a model whose
    /// weights only ever come from the constructor and ImportParameters skips that comparison.
    /// </remarks>
    Span<float> Parameters { get; }

    /// <summary>Gradients of the weights, same order.</summary>
    Span<float> Gradients { get; }

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>Backpropagation through time for the last training Forward.</summary>
    void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient = default);

    /// <summary>
    /// ||dL/dh_t|| of the top recurrent layer for each step t of the last <see cref="Backward"/> (directions
    /// and batch together): the picture of vanishing or exploding gradients. Empty before the first Backward.
    /// </summary>
    ReadOnlySpan<float> StepGradientNorms { get; }

    /// <summary>Sets the initial recurrent state of the next Forward (empty: zeros).</summary>
    void SetInitialState(ReadOnlySpan<float> h0, ReadOnlySpan<float> c0 = default);

    /// <summary>The final state of the last Forward, as PyTorch's h_n and c_n, in <see cref="SetInitialState"/>'s layout.</summary>
    /// <param name="hN">Receives [layers * directions, batch, hidden] per recurrent layer: batch * StateSize floats.</param>
    /// <param name="cN">Empty, or receives the LSTM layers' cell states: batch * CellStateSize floats.</param>
    /// <exception cref="InvalidOperationException">No Forward has run.</exception>
    /// <exception cref="ArgumentException">A span of the wrong length.</exception>
    void GetFinalState(Span<float> hN, Span<float> cN = default);

    /// <summary>Carry the final state of one Forward into the next.</summary>
    bool Stateful { get; set; }

    /// <summary>Forgets any initial or carried state.</summary>
    void ResetState();

    /// <summary>The weights with PyTorch's names, shapes and order.</summary>
    IReadOnlyList<NamedTensor> ExportParameters();

    /// <summary>The gradients, named as the weights.</summary>
    IReadOnlyList<NamedTensor> ExportGradients();

    /// <summary>
    /// Loads weights by name, for example a PyTorch state_dict saved with safetensors. Strict: every
    /// tensor of <see cref="ExportParameters"/> exactly once with its exact shape, and nothing else;
    /// on any mismatch an <see cref="ArgumentException"/> names the tensor and nothing is loaded.
    /// </summary>
    void ImportParameters(IEnumerable<NamedTensor> tensors);

    /// <summary>
    /// Loads weights whose names carry a prefix, as a PyTorch state_dict saved from a wrapping module has them:
    /// removes <paramref name="prefix"/> from the start of every name ("model." turns "model.lstm.weight_ih_l0"
    /// into "lstm.weight_ih_l0"), then matches as strictly as the overload without it. A name without the
    /// prefix is an error; on any error an <see cref="ArgumentException"/> names the tensor and nothing is loaded.
    /// </summary>
    void ImportParameters(IEnumerable<NamedTensor> tensors, string prefix);

    /// <summary>The declared layers, top to bottom, as the generator resolved them (constant data, shared by every instance).</summary>
    IReadOnlyList<LayerArchitecture> Architecture { get; }

    /// <summary>Run the scalar reference kernels instead of the vector ones.</summary>
    bool UseScalarKernels { get; set; }

    /// <summary>
    /// The precision of the recurrent weights (weight_hh) in inference calls (Forward with training: false):
    /// Float32 (the default), BFloat16 or Int8. Forward with training: true and Backward always run in
    /// float32. Parameters stays float32 and the only source of truth: the reduced copy is built from it on the next
    /// inference call and again whenever the weights change; ExportParameters exports float32. The input projection,
    /// Embedding and Dense layers stay float32.
    /// </summary>
    /// <remarks>
    /// Generated models implement it; another implementation runs in float32 only (this default, which throws
    /// <see cref="NotSupportedException"/> when set to anything but Float32), so that adding the member broke no implementer.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of InferencePrecision.</exception>
    InferencePrecision InferencePrecision
    {
        get => InferencePrecision.Float32;
        set
        {
            if (value != InferencePrecision.Float32)
                throw new NotSupportedException($"{GetType().Name} runs in float32 only.");
        }
    }

    /// <summary>The kernels the last call ran: "Vector512", "Vector256", "Vector128", "Scalar" or "None".</summary>
    string KernelPath { get; }
}

/// <summary>A model whose input is float features per step.</summary>
public interface IFloatSequenceModel : ISequenceModel
{
    /// <summary>Runs the model: input [batch, steps, InputSize], output [batch, steps, OutputSize] or [batch, OutputSize].</summary>
    void Forward(ReadOnlySpan<float> input, int batch, int steps, Span<float> output, ReadOnlySpan<int> lengths = default, bool training = false);
}

/// <summary>A model whose first layer is an Embedding: its input is token ids.</summary>
public interface ITokenSequenceModel : ISequenceModel
{
    /// <summary>Number of distinct token ids.</summary>
    int VocabularySize { get; }

    /// <summary>Runs the model: tokens [batch, steps], output [batch, steps, OutputSize] or [batch, OutputSize].</summary>
    void Forward(ReadOnlySpan<int> tokens, int batch, int steps, Span<float> output, ReadOnlySpan<int> lengths = default, bool training = false);
}

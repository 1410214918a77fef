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

    /// <summary>All weights, flat, in ExportParameters order.</summary>
    Span<float> Parameters { get; }

    /// <summary>Gradients of the weights, same order.</summary>
    Span<float> Gradients { get; }

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>Backpropagation through time for the last training Forward.</summary>
    void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient = default);

    /// <summary>||dL/dh_t|| of the top recurrent layer per step, from the last Backward.</summary>
    ReadOnlySpan<float> StepGradientNorms { get; }

    /// <summary>Sets the initial recurrent state of the next Forward (empty: zeros).</summary>
    void SetInitialState(ReadOnlySpan<float> h0, ReadOnlySpan<float> c0 = default);

    /// <summary>The final recurrent state of the last Forward.</summary>
    void GetFinalState(Span<float> hN, Span<float> cN = default);

    /// <summary>Carry the final state of one Forward into the next.</summary>
    bool Stateful { get; set; }

    /// <summary>Forgets any initial or carried state.</summary>
    void ResetState();

    /// <summary>The weights with PyTorch's names, shapes and order.</summary>
    IReadOnlyList<NamedTensor> ExportParameters();

    /// <summary>The gradients, named as the weights.</summary>
    IReadOnlyList<NamedTensor> ExportGradients();

    /// <summary>Loads weights by name, strictly.</summary>
    void ImportParameters(IEnumerable<NamedTensor> tensors);

    /// <summary>
    /// Loads weights by name, strictly, after removing <paramref name="prefix"/> from the start of every name
    /// (a state_dict saved from a wrapping module: "model.lstm.weight_ih_l0" with prefix "model."); a name
    /// without the prefix is an error.
    /// </summary>
    void ImportParameters(IEnumerable<NamedTensor> tensors, string prefix);

    /// <summary>The declared layers, top to bottom, as the generator resolved them (constant data, shared by every instance).</summary>
    IReadOnlyList<LayerArchitecture> Architecture { get; }

    /// <summary>Run the scalar reference kernels instead of the vector ones.</summary>
    bool UseScalarKernels { get; set; }

    /// <summary>
    /// The precision of the recurrent weights in inference calls (Float32 by default); training and Backward always
    /// run in float32, and Parameters stays float32, the source of truth. Generated models implement it; another
    /// implementation runs in float32 only (this default), so that adding the member broke no implementer.
    /// </summary>
    /// <exception cref="NotSupportedException">This default, set to anything but Float32.</exception>
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

using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// The model flattened into what the emitter walks: stages (one per embedding, per stacked layer of a
/// recurrent layer, per dense layer), the tensors in PyTorch state_dict order with their offsets in
/// Parameters, and the distinct matrix shapes that need a kernel. Derived from a <see cref="ModelSpec"/>
/// on every emit; never cached.
/// </summary>
internal sealed class ModelLayout
{
    public ModelLayout(ModelSpec spec)
    {
        Spec = spec;
        int offset = 0, stateOffset = 0, cellStateOffset = 0, dropoutSite = 0;
        var stages = new List<Stage>();
        var tensors = new List<TensorInfo>();
        for (int layerIndex = 0; layerIndex < spec.Layers.Count; layerIndex++)
        {
            LayerSpec layer = spec.Layers[layerIndex];
            if (!layer.IsRecurrent)
            {
                var stage = new Stage(stages.Count, layer, layerIndex, 0, layer.InputSize, layer.OutputSize, -1, false, 0, 0,
                    BelowIsBidirectional: stages.Count > 0 && stages[stages.Count - 1].Directions == 2);
                if (layer.Kind == LayerKind.Embedding)
                    tensors.Add(stage.AddTensor(new TensorInfo($"{layer.Name}.weight", new[] { layer.VocabularySize, layer.Units }, offset, stage.Index, TensorRole.Weight, 0)));
                else
                {
                    tensors.Add(stage.AddTensor(new TensorInfo($"{layer.Name}.weight", new[] { layer.Units, layer.InputSize }, offset, stage.Index, TensorRole.Weight, 0)));
                    tensors.Add(stage.AddTensor(new TensorInfo($"{layer.Name}.bias", new[] { layer.Units }, tensors[tensors.Count - 1].End, stage.Index, TensorRole.Bias, 0)));
                }
                offset = tensors[tensors.Count - 1].End;
                stages.Add(stage);
                continue;
            }

            RecurrentCell cell = RecurrentCell.Of(layer);
            int h = layer.Units, g = cell.Gates * h;
            for (int k = 0; k < layer.StackedLayers; k++)
            {
                int input = k == 0 ? layer.InputSize : layer.OutputSize;
                bool residual = layer.Residual && input == layer.OutputSize;
                int site = layer.Dropout > 0f && k < layer.StackedLayers - 1 ? dropoutSite++ : -1;
                var stage = new Stage(stages.Count, layer, layerIndex, k, input, layer.OutputSize, site, residual,
                    stateOffset + k * layer.Directions * h, cell.HasCellState ? cellStateOffset + k * layer.Directions * h : 0,
                    BelowIsBidirectional: false);
                for (int d = 0; d < layer.Directions; d++)
                {
                    string suffix = $"_l{k}" + (d == 1 ? "_reverse" : "");
                    void Add(string tensor, int[] shape, TensorRole role)
                    {
                        tensors.Add(stage.AddTensor(new TensorInfo($"{layer.Name}.{tensor}{suffix}", shape, offset, stage.Index, role, d)));
                        offset += shape.Aggregate(1, (a, b) => a * b);
                    }
                    Add("weight_ih", new[] { g, input }, TensorRole.WeightIh);
                    Add("weight_hh", new[] { g, h }, TensorRole.WeightHh);
                    Add("bias_ih", new[] { g }, TensorRole.BiasIh);
                    Add("bias_hh", new[] { g }, TensorRole.BiasHh);
                }
                stages.Add(stage);
            }
            stateOffset += layer.StackedLayers * layer.Directions * h;
            if (cell.HasCellState) cellStateOffset += layer.StackedLayers * layer.Directions * h;
        }

        Stages = stages;
        Tensors = tensors;
        ParameterCount = offset;
        StateSize = stateOffset;
        CellStateSize = cellStateOffset;
        DropoutSites = dropoutSite;
        TopRecurrentStage = stages.LastOrDefault(s => s.IsRecurrent)?.Index ?? -1;
        RecurrentLayers = spec.Layers.Where(l => l.IsRecurrent).ToList();
    }

    public ModelSpec Spec { get; }
    public IReadOnlyList<Stage> Stages { get; }
    public IReadOnlyList<TensorInfo> Tensors { get; }
    public int ParameterCount { get; }

    /// <summary>Hidden-state floats per sequence over all recurrent layers: sum of layers * directions * hidden.</summary>
    public int StateSize { get; }

    /// <summary>Cell-state floats per sequence over the layers whose cell has one (LSTM).</summary>
    public int CellStateSize { get; }

    public int DropoutSites { get; }

    /// <summary>The last stacked layer of the last recurrent layer, whose ||dL/dh_t|| is reported; -1 when none.</summary>
    public int TopRecurrentStage { get; }

    public IReadOnlyList<LayerSpec> RecurrentLayers { get; }

    public bool HasRecurrent => TopRecurrentStage >= 0;
    public bool HasLstm => CellStateSize > 0;

    /// <summary>Width per step of activation i (the input of stage i; i = stage count is the output).</summary>
    public int ActivationWidth(int i) => i < Stages.Count ? Stages[i].InputWidth : Stages[Stages.Count - 1].OutputWidth;
}

/// <summary>One step of the sequential graph: reads activation <see cref="Index"/>, writes activation Index + 1.</summary>
internal sealed record Stage(
    int Index,
    LayerSpec Layer,
    int LayerIndex,
    int Sublayer,
    int InputWidth,
    int OutputWidth,
    int DropoutSite,
    bool Residual,
    int StateOffset,
    int CellStateOffset,
    bool BelowIsBidirectional)
{
    private readonly List<TensorInfo> _tensors = new();

    public IReadOnlyList<TensorInfo> Tensors => _tensors;

    public TensorInfo AddTensor(TensorInfo tensor)
    {
        _tensors.Add(tensor);
        return tensor;
    }

    public LayerKind Kind => Layer.Kind;
    public bool IsRecurrent => Layer.IsRecurrent;
    public int Hidden => Layer.Units;
    public int Directions => IsRecurrent ? Layer.Directions : 1;
    public int GateWidth => Layer.Gates * Layer.Units;

    /// <summary>The recurrent cell of a recurrent stage (everything the emitter knows about its kind).</summary>
    public RecurrentCell Cell => RecurrentCell.Of(Layer);
    public bool LastStep => Layer.Readout == ReadoutKind.LastStep;

    /// <summary>A readable name for comments: "lstm layer 1 (reverse too)".</summary>
    public string Title => IsRecurrent
        ? $"{Layer.Name}, stacked layer {Sublayer} of {Layer.StackedLayers}"
        : Layer.Name;

    public TensorInfo Tensor(TensorRole role, int direction = 0) =>
        _tensors.First(t => t.Role == role && t.Direction == direction);
}

internal enum TensorRole { WeightIh, WeightHh, BiasIh, BiasHh, Weight, Bias }

/// <summary>A parameter tensor: its PyTorch name, shape and place in Parameters.</summary>
internal sealed record TensorInfo(string Name, int[] Shape, int Offset, int Stage, TensorRole Role, int Direction)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);
    public int End => Offset + Length;
}

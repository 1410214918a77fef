using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodeGenLstm;

namespace CharLm;

/// <summary>
/// One safetensors file holds everything a run needs to go on exactly where it stopped: the weights
/// (PyTorch's state_dict names, so torch can read them too), Adam's moments and step count, the LSTM
/// state carried between chunks, and the position in the text.
/// </summary>
internal static class Checkpoint
{
    private const string HiddenName = "charlm.carried_h", CellName = "charlm.carried_c", PositionName = "charlm.position";
    private const long Half = 1L << 24;

    /// <summary>
    /// Writes the weights and optimizer state, and the state the replicas carry, merged into one
    /// [layers, batch, hidden] tensor (replica r holds streams r * batch / replicas onward), so that a
    /// checkpoint resumes on any number of replicas.
    /// </summary>
    public static void Save(string path, CharModel[] replicas, Adam optimizer, long chunk, int batchPerReplica)
    {
        var tensors = new List<NamedTensor>(replicas[0].ExportParameters());
        tensors.AddRange(optimizer.ExportState());
        float[][] h = new float[replicas.Length][], c = new float[replicas.Length][];
        bool started = true;
        for (int r = 0; r < replicas.Length; r++)
        {
            try
            {
                int batch = batchPerReplica;
                h[r] = new float[CharModel.StateSize * batch];
                c[r] = new float[CharModel.CellStateSize * batch];
                replicas[r].GetFinalState(h[r], c[r]);
            }
            catch (InvalidOperationException)
            {
                started = false;   // no Forward yet in this run: nothing is carried
            }
        }
        float[] hAll = started ? Merge(h) : [], cAll = started ? Merge(c) : [];
        tensors.Add(new NamedTensor(HiddenName, [hAll.Length], hAll));
        tensors.Add(new NamedTensor(CellName, [cAll.Length], cAll));
        tensors.Add(new NamedTensor(PositionName, [2], [chunk / Half, chunk % Half]));   // exact in floats
        Safetensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "CodeGenLstm CharLm checkpoint" });
    }

    /// <summary>Loads a checkpoint into the replicas and the optimizer; returns the chunk position.</summary>
    public static long Load(string path, CharModel[] replicas, Adam optimizer)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No checkpoint to resume from at {path}: run without --resume first.", path);
        IReadOnlyList<NamedTensor> tensors = Safetensors.Read(path);
        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var weights = tensors.Where(t => !t.Name.StartsWith("adam.", StringComparison.Ordinal) && !t.Name.StartsWith("charlm.", StringComparison.Ordinal)).ToList();
        foreach (CharModel model in replicas) model.ImportParameters(weights);
        optimizer.ImportState(tensors.Where(t => t.Name.StartsWith("adam.", StringComparison.Ordinal)));
        float[] h = byName[HiddenName].Data, c = byName[CellName].Data;
        if (h.Length > 0)
        {
            float[][] hs = Split(h, replicas.Length), cs = Split(c, replicas.Length);
            for (int r = 0; r < replicas.Length; r++) replicas[r].SetInitialState(hs[r], cs[r]);
        }
        float[] position = byName[PositionName].Data;
        return (long)position[0] * Half + (long)position[1];
    }

    // [layers, b_r, hidden] per replica <-> [layers, sum b_r, hidden]: PyTorch's state layout, batch in the middle.
    private const int Layers = 2;

    private static float[] Merge(float[][] parts)
    {
        int total = parts.Sum(p => p.Length), offset = 0;
        var all = new float[total];
        int rowAll = total / Layers;
        foreach (float[] part in parts)
        {
            int row = part.Length / Layers;
            for (int l = 0; l < Layers; l++) Array.Copy(part, l * row, all, l * rowAll + offset, row);
            offset += row;
        }
        return all;
    }

    private static float[][] Split(float[] all, int count)
    {
        int rowAll = all.Length / Layers, row = rowAll / count;
        var parts = new float[count][];
        for (int r = 0; r < count; r++)
        {
            parts[r] = new float[row * Layers];
            for (int l = 0; l < Layers; l++) Array.Copy(all, l * rowAll + r * row, parts[r], l * row, row);
        }
        return parts;
    }
}

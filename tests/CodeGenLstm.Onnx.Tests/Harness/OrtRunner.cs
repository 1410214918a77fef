using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CodeGenLstm.Onnx.Tests.Harness;

/// <summary>Runs an exported model in ONNX Runtime (CPU, one thread) on a <see cref="ModelRun"/>'s inputs.</summary>
public static class OrtRunner
{
    public static (float[] Output, float[] HN, float[] CN) Run(byte[] onnx, ModelRun run, OnnxExportOptions options)
    {
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        using var session = new InferenceSession(onnx, sessionOptions);
        int b = run.Batch, t = run.Steps;
        var inputs = new List<NamedOnnxValue>();
        int[] dims = options.TimeMajor ? new[] { t, b } : new[] { b, t };
        if (run.Tokens is not null)
        {
            long[] tokens = new long[b * t];
            for (int i = 0; i < b; i++)
                for (int s = 0; s < t; s++)
                    tokens[options.TimeMajor ? s * b + i : i * t + s] = run.Tokens[i * t + s];
            inputs.Add(NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(tokens, dims)));
        }
        else
        {
            int f = run.Model.InputSize;
            float[] x = new float[b * t * f];
            for (int i = 0; i < b; i++)
                for (int s = 0; s < t; s++)
                    Array.Copy(run.Input!, (i * t + s) * f, x, (options.TimeMajor ? s * b + i : i * t + s) * f, f);
            inputs.Add(NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(x, dims.Append(f).ToArray())));
        }
        if (options.VariableLengths)
            inputs.Add(NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(run.Lengths ?? Enumerable.Repeat(t, b).ToArray(), new[] { b })));
        var blocks = run.StateBlocks().ToList();
        if (options.States)
            foreach (var block in blocks)
            {
                inputs.Add(NamedOnnxValue.CreateFromTensor(block.Prefix + ".h0", new DenseTensor<float>(Block(run.H0, block.StateOffset, block.Directions, b, block.Hidden), new[] { block.Directions, b, block.Hidden })));
                if (block.Lstm)
                    inputs.Add(NamedOnnxValue.CreateFromTensor(block.Prefix + ".c0", new DenseTensor<float>(Block(run.C0, block.CellOffset, block.Directions, b, block.Hidden), new[] { block.Directions, b, block.Hidden })));
            }

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(inputs);
        float[] Get(string name) => results.Single(r => r.Name == name).AsTensor<float>().ToArray();
        float[] output = Get("output");
        if (options.TimeMajor && !run.Model.OutputPerSequence)
        {
            int o = run.Model.OutputSize;
            float[] batchMajor = new float[output.Length];
            for (int s = 0; s < t; s++)
                for (int i = 0; i < b; i++)
                    Array.Copy(output, (s * b + i) * o, batchMajor, (i * t + s) * o, o);
            output = batchMajor;
        }
        float[] hN = new float[b * run.Model.StateSize], cN = new float[b * run.Model.CellStateSize];
        if (options.States)
            foreach (var block in blocks)
            {
                Get(block.Prefix + ".hN").CopyTo(hN, block.StateOffset * b);
                if (block.Lstm) Get(block.Prefix + ".cN").CopyTo(cN, block.CellOffset * b);
            }
        return (output, hN, cN);
    }

    /// <summary>One stacked layer's [directions, batch, hidden] block of a state in our layout (zeros when there is none).</summary>
    private static float[] Block(float[]? state, int offsetPerSequence, int directions, int batch, int hidden) =>
        state is null ? new float[directions * batch * hidden] : state.AsSpan(offsetPerSequence * batch, directions * batch * hidden).ToArray();
}

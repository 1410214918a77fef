using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --torch-lstm-scan: where is libtorch's float32 nn.LSTM wrong on this machine? For hidden sizes 1-80 (and a few
/// larger), input sizes 7 and 64, batch 1 and 8, 15 steps, one layer, one and two directions, the same module
/// is run in float32 under no_grad (libtorch's oneDNN inference path), in float32 with grad enabled, and in float64;
/// prints the largest |float32 - float64| of the output of each path where it exceeds 1e-4, and a summary. Needs
/// none of our code: it characterises the peer, so that docs can say which sizes a user must not trust.
/// </summary>
public static class TorchLstmScan
{
    public static int Run(int threads)
    {
        torch.set_num_threads(threads);
        Console.WriteLine($"Machine: {TestSupport.Machine.Description}; libtorch {torch.__version__}; {threads} thread(s)");
        const double Tolerance = 1e-4;
        int[] hiddens = Enumerable.Range(1, 80).Concat(new[] { 96, 128, 256, 512 }).ToArray();
        var wrongNoGrad = new List<string>();
        int cases = 0, wrongGrad = 0;
        foreach (bool bidirectional in new[] { false, true })
            foreach (int input in new[] { 7, 64 })
                foreach (int batch in new[] { 1, 8 })
                    foreach (int hidden in hiddens)
                    {
                        (double noGrad, double grad) = Errors(input, hidden, batch, 15, bidirectional);
                        cases++;
                        string name = string.Create(CultureInfo.InvariantCulture, $"I={input} H={hidden} B={batch}{(bidirectional ? " bi" : "")}");
                        if (noGrad > Tolerance) wrongNoGrad.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {noGrad:E1}"));
                        if (grad > Tolerance)
                        {
                            wrongGrad++;
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: float32 WITH grad differs from float64 by {grad:E1}"));
                        }
                    }
        Console.WriteLine($"{cases} configurations (T = 15, one layer). Float32 with grad wrong in {wrongGrad}.");
        Console.WriteLine($"Float32 under no_grad wrong (max |float32 - float64| of the output > {Tolerance:E0}) in {wrongNoGrad.Count}:");
        foreach (string w in wrongNoGrad) Console.WriteLine("  " + w);
        return 0;
    }

    private static (double NoGrad, double Grad) Errors(int input, int hidden, int batch, int steps, bool bidirectional)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(hidden * 1000 + input + batch);
        var lstm32 = nn.LSTM(input, hidden, 1, batchFirst: true, bidirectional: bidirectional);
        var lstm64 = nn.LSTM(input, hidden, 1, batchFirst: true, bidirectional: bidirectional);
        lstm64.load_state_dict(lstm32.state_dict());
        lstm64.to(ScalarType.Float64);
        Tensor x = torch.rand(batch, steps, input) * 2 - 1;
        Tensor expected;
        using (torch.no_grad()) expected = lstm64.call(x.to_type(ScalarType.Float64)).Item1;
        Tensor noGrad;
        using (torch.no_grad()) noGrad = lstm32.call(x).Item1;
        Tensor grad = lstm32.call(x).Item1;
        double Error(Tensor y) => (y.detach().to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        return (Error(noGrad), Error(grad));
    }
}

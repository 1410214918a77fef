using System;
using System.Collections.Concurrent;
using System.Linq;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CodeGenLstm.TorchParity.Tests.Parity;

/// <summary>
/// Every case in which libtorch's float32 disagreed with its own float64 (and ours was compared with the float64
/// instead), gathered over the run, so that a peer's defect on this machine is said once where everyone reads it:
/// at the end of the parity tests, as an xunit diagnostic message (shown in the test run's console output, see
/// xunit.runner.json), with the cases, the paths and the machine.
/// </summary>
public sealed class PeerDefects : IDisposable
{
    private static readonly ConcurrentQueue<string> s_found = new();
    private readonly IMessageSink _sink;

    public PeerDefects(IMessageSink sink) => _sink = sink;

    public static void Record(CaseReport report)
    {
        if (report.PeerDefect is not null) s_found.Enqueue($"{report.Model.Name} ({report.Draw}): {report.PeerDefect}");
    }

    public void Dispose()
    {
        if (s_found.IsEmpty) return;
        string[] found = s_found.ToArray();
        string paths = string.Join(", ", found.Select(f => f.Contains("no_grad", StringComparison.Ordinal) ? "float32 inference under no_grad" : "float32 with grad")
            .Distinct());
        _sink.OnMessage(new DiagnosticMessage(
            $"PEER DEFECT on this machine ({TestSupport.Machine.Description}): libtorch {Torch.TorchSetup.Version} {paths} disagreed with its own " +
            $"float64 in {found.Length} parity case(s); ours was held to the same bounds against libtorch's float64 there. First: {found[0]}"));
    }
}

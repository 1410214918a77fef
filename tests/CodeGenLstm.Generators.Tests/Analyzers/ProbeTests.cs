using System.Threading.Tasks;

namespace CodeGenLstm.Generators.Tests.Analyzers;

public class ProbeTests
{
    [Fact]
    public Task Probe() => GradientTest.VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Rnn(inputSize: 2, hiddenSize: 32)|}]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 50, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, ClipNorm = 1f)]
        public partial class AddingRnn;
        """,
        GradientTest.Expect("CGL1001", 0, "x"));
}

using System.Threading;
using System.Threading.Tasks;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>One test per CGL0xxx id, with the exact span and message.</summary>
public class ConfigurationRuleTests
{
    private sealed class ConfigTest : CSharpAnalyzerTest<ModelConfigurationAnalyzer, DefaultVerifier>
    {
        public ConfigTest(string source, string id, string message, int markup = 0)
        {
            TestCode = source;
            ReferenceAssemblies = TestSetup.NoPackages;
            TestSetup.Configure(TestState);
            ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.Configurations[id]).WithLocation(markup).WithMessage(message));
        }

        protected override CompilationOptions CreateCompilationOptions() => TestSetup.Options(base.CreateCompilationOptions());
    }

    private static Task Verify(string source, string id, string message) => new ConfigTest(source, id, message).RunAsync(CancellationToken.None);

    private static DiagnosticResult Expect(string id, int markup, string message) =>
        new DiagnosticResult(DiagnosticDescriptors.Configurations[id]).WithLocation(markup).WithMessage(message);

    [Fact]
    public Task CGL0001() => Verify("""
        using CodeGenLstm;
        [{|#0:Lstm(inputSize: 8, hiddenSize: 32)|}]
        public class Model;
        """, "CGL0001", "'Model' must be declared partial so that the generated model can be added to it");

    [Fact]
    public Task CGL0002() => Verify("""
        using CodeGenLstm;
        [{|#0:Lstm(inputSize: 8, hiddenSize: 32)|}] public partial class Model;
        [Dense(outputSize: 2)] public partial class Model;
        """, "CGL0002", "The layer attributes of 'Model' are spread over 2 partial declarations, so their order is undefined; put them on one declaration");

    [Fact]
    public Task CGL0003() => Verify("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, {|#0:hiddenSize: 0|})]
        public partial class Model;
        """, "CGL0003", "hiddenSize is 0; it must be at least 1");

    [Fact]
    public Task CGL0004() => Verify("""
        using CodeGenLstm;
        [{|#0:Gru(hiddenSize: 32)|}]
        public partial class Model;
        """, "CGL0004", "The first layer (Gru) must state the input size: give a recurrent first layer inputSize, or start the model with [Embedding]");

    [Fact]
    public Task CGL0005() => Verify("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, hiddenSize: 32)]
        [{|#0:Embedding(vocabularySize: 100, dimension: 8)|}]
        public partial class Model;
        """, "CGL0005", "[Embedding] must be the first layer: it turns token ids into vectors, and only the model's input is token ids");

    [Fact]
    public Task CGL0006() => Verify("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, hiddenSize: 32)]
        [Dense(outputSize: 16, Readout = Readout.LastStep)]
        [{|#0:Dense(outputSize: 2)|}]
        public partial class Model;
        """, "CGL0006", "No layer can follow 'dense', a Dense read-out with Readout.LastStep: it outputs one vector per sequence, not one per step");

    [Fact]
    public Task CGL0007() => Verify("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, hiddenSize: 32, bidirectional: true)]
        [Gru(hiddenSize: 16, {|#0:inputSize: 32|})]
        public partial class Model;
        """, "CGL0007", "inputSize is 32, but the layer above ('lstm') outputs 64 features per step; remove inputSize or make it 64");

    [Fact]
    public Task CGL0008() => Verify("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, hiddenSize: 32, {|#0:Dropout = 1f|})]
        public partial class Model;
        """, "CGL0008", "Dropout = 1 is not valid: expected a probability in [0, 1)");

    [Fact]
    public Task CGL0009() => Verify("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, hiddenSize: 32, {|#0:Init = RecurrentInit.Identity|})]
        public partial class Model;
        """, "CGL0009", "Init = RecurrentInit.Identity is not supported on Lstm: an identity needs a square weight_hh, and only Rnn has one gate block; use Orthogonal");

    [Fact]
    public Task CGL0010() => Verify("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, hiddenSize: 32, Name = "enc")]
        [Gru(hiddenSize: 32, {|#0:Name = "enc"|})]
        public partial class Model;
        """, "CGL0010", "Two layers are named 'enc', so their tensor names would collide; give one of them another Name");

    [Fact]
    public Task CGL0011() => Verify("""
        using CodeGenLstm;
        [{|#0:Embedding(vocabularySize: 2000000, dimension: 1024)|}]
        public partial class Model;
        """, "CGL0011", "'Model' has more than 1073741823 parameters, more than one array can hold");

    [Fact]
    public Task CGL0012() => Verify("""
        using CodeGenLstm;
        [{|#0:Lstm(inputSize: 8, hiddenSize: 32)|}]
        public partial record Model;
        """, "CGL0012", "'Model' cannot hold a generated model: it is a record; declare the model on a non-generic, non-static partial class");

    [Fact]
    public Task CGL0013() => Verify("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, hiddenSize: 32)]
        [Training({|#0:ClipNorm = -1f|})]
        public partial class Model;
        """, "CGL0013", "[Training] ClipNorm = -1 is not valid: expected 0 (no clipping) or a positive finite threshold");

    [Fact]
    public Task CGL0015() => Verify("""
        using CodeGenLstm;
        [{|#0:Dense(outputSize: 1)|}]
        [Lstm(inputSize: 4, hiddenSize: 8)]
        public partial class Model;
        """, "CGL0015", "[Dense] 'dense' is above [Lstm]: layer attributes are read top to bottom, so this Dense would be the first layer and read the model's input; move [Dense] below the last recurrent layer, [Lstm] 'lstm'");

    [Fact]
    public Task CGL0015OnEachMisplacedDenseAndNoErrorThatOnlyTheyCause()
    {
        // Before CGL0015 this declaration got CGL0004 on the first Dense ("must state the input size") and CGL0005
        // on the Embedding ("must be the first layer"), both of them the misplacement. The second Dense following a
        // LastStep read-out (CGL0006) and the Rnn's inputSize (CGL0007) stay wrong after the move, and are reported.
        var test = new ConfigTest("""
            using CodeGenLstm;
            [{|#0:Dense(outputSize: 1, Readout = Readout.LastStep)|}]
            [{|#1:Dense(outputSize: 3)|}]
            [Embedding(vocabularySize: 10, dimension: 6)]
            [Gru(inputSize: 6, hiddenSize: 8)]
            [Rnn(hiddenSize: 4, {|#2:inputSize: 5|})]
            public partial class Model;
            """, "CGL0015",
            "[Dense] 'dense' is above [Embedding]: layer attributes are read top to bottom, so this Dense would be the first layer and read the model's input; move [Dense] below the last recurrent layer, [Rnn] 'rnn'");
        test.ExpectedDiagnostics.Add(Expect("CGL0006", 1, "No layer can follow 'dense', a Dense read-out with Readout.LastStep: it outputs one vector per sequence, not one per step"));
        test.ExpectedDiagnostics.Add(Expect("CGL0015", 1,
            "[Dense] 'dense_1' is above [Embedding]: layer attributes are read top to bottom, so this Dense would be the first layer and read the model's input; move [Dense] below the last recurrent layer, [Rnn] 'rnn'"));
        // A real mismatch below the misplaced Dense layers is still reported: the Gru outputs 8, not 5.
        test.ExpectedDiagnostics.Add(Expect("CGL0007", 2, "inputSize is 5, but the layer above ('gru') outputs 8 features per step; remove inputSize or make it 8"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task CGL0015PointsBelowTheEmbeddingWhenThereIsNoRecurrentLayer() => Verify("""
        using CodeGenLstm;
        [{|#0:Dense(outputSize: 2)|}]
        [Embedding(vocabularySize: 10, dimension: 6, Name = "tokens")]
        public partial class Model;
        """, "CGL0015", "[Dense] 'dense' is above [Embedding]: layer attributes are read top to bottom, so this Dense would be the first layer and read the model's input; move [Dense] below [Embedding] 'tokens'");

    [Fact]
    public Task ADenseFirstWithOnlyDenseBelowIsStillCGL0004() => Verify("""
        using CodeGenLstm;
        [{|#0:Dense(outputSize: 2)|}]
        [Dense(outputSize: 1)]
        public partial class Model;
        """, "CGL0004", "The first layer (Dense) must state the input size: give a recurrent first layer inputSize, or start the model with [Embedding]");

    [Fact]
    public Task CGL0014() => Verify("""
        using CodeGenLstm;
        [{|#0:Training(SequenceLength = 50)|}]
        public partial class Model;
        """, "CGL0014", "'Model' has [Training] but no layer attribute, so no model is generated; add [Lstm], [Gru], [Rnn], [Embedding] or [Dense]");
}

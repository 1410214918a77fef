using System.Linq;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// Full-text baselines of the generated source, to see every change to what users read (the Regex
/// generator's practice: "to be aware of egregious breaks to readability"). Each also proves the
/// output compiles at warning level 9999 with warnings as errors.
/// </summary>
public class SnapshotTests
{
    /// <summary>A placeholder (a declaration with CGL0 errors): the output compiles, the analyzers report the errors.</summary>
    private static void VerifyPlaceholder(string source, string hintName, string snapshotName,
        [System.Runtime.CompilerServices.CallerMemberName] string testMethod = "")
    {
        var (result, output, _) = GeneratorHarness.Run(source);
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrors(output));
        var sources = GeneratorHarness.Sources(result);
        Assert.True(sources.ContainsKey(hintName), $"expected {hintName}; generated: {string.Join(", ", sources.Keys)}");
        Snapshot.Verify(sources[hintName], snapshotName, testMethod: testMethod);
    }

    [Fact]
    public void PlaceholderForATokenModelWithTwoErrors() => VerifyPlaceholder("""
        using CodeGenLstm;
        namespace Demo;

        [Embedding(vocabularySize: 65, dimension: 0)]
        [Lstm(hiddenSize: 512, layers: 2, Dropout = 1.5f)]
        [Dense(outputSize: 65)]
        public partial class CharModel;
        """, "Demo.CharModel.g.cs", "Demo.CharModel");

    private static void VerifyModel(string source, string hintName, string snapshotName,
        [System.Runtime.CompilerServices.CallerMemberName] string testMethod = "")
    {
        var (result, output, _) = GeneratorHarness.Run(source);
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrors(output));
        var sources = GeneratorHarness.Sources(result);
        Assert.True(sources.ContainsKey(hintName), $"expected {hintName}; generated: {string.Join(", ", sources.Keys)}");
        Snapshot.Verify(sources[hintName], snapshotName, testMethod: testMethod);
    }

    [Fact]
    public void SmallLstm() => VerifyModel("""
        using CodeGenLstm;
        namespace Demo;

        [Lstm(inputSize: 3, hiddenSize: 5)]
        public partial class Tiny;
        """, "Demo.Tiny.g.cs", "Demo.Tiny");

    [Fact]
    public void BidirectionalEncoder() => VerifyModel("""
        using CodeGenLstm;
        namespace Demo;

        [Lstm(inputSize: 64, hiddenSize: 128, layers: 2, bidirectional: true)]
        public partial class Encoder;
        """, "Demo.Encoder.g.cs", "Demo.Encoder");

    [Fact]
    public void SentimentModel() => VerifyModel("""
        using CodeGenLstm;
        namespace Demo;

        [Embedding(vocabularySize: 5000, dimension: 100)]
        [Gru(hiddenSize: 128, bidirectional: true)]
        [Dense(outputSize: 2, Readout = Readout.LastStep)]
        [Training(SequenceLength = 60, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, ClipNorm = 5f)]
        public partial class SentimentModel;
        """, "Demo.SentimentModel.g.cs", "Demo.SentimentModel");

    [Fact]
    public void CharModel() => VerifyModel("""
        using CodeGenLstm;
        namespace Demo;

        [Embedding(vocabularySize: 65, dimension: 64)]
        [Lstm(hiddenSize: 512, layers: 2, Dropout = 0.25f)]
        [Dense(outputSize: 65)]
        public partial class CharModel;
        """, "Demo.CharModel.g.cs", "Demo.CharModel");

    [Fact]
    public void IdentityReluRnnInNestedClass() => VerifyModel("""
        using CodeGenLstm;
        namespace Demo.Experiments
        {
            public static partial class Lab
            {
                [Rnn(inputSize: 2, hiddenSize: 7, layers: 3, Activation = Activation.Relu, Init = RecurrentInit.Identity, InitGain = 0.9f, Residual = true, Name = "irnn")]
                internal partial class @event;
            }
        }
        """, "Demo.Experiments.Lab.event.g.cs", "Demo.Experiments.Lab.event");
}

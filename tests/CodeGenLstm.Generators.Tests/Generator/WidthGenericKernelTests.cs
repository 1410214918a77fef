using System.Text.RegularExpressions;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The cells' pointwise kernels are written once for every vector width, as methods generic over the runtime's
/// IKernelOps, and each width that has whole vectors of H units calls them with its ops struct; the recurrent term
/// is the runtime's RecurrenceKernels, called with a file-local shape struct (docs/architecture.md, "Kernels and
/// vector paths"). KernelOpsTests (runtime) checks that a generic body gives the bits of one written per width;
/// RecurrenceKernelTests and the numerical tests check the kernels at every width.
/// </summary>
public class WidthGenericKernelTests
{
    private static readonly string[] s_widths = { "512", "256", "128" };

    [Theory]
    [InlineData("[Lstm(inputSize: 3, hiddenSize: 64)]", "Lstm")]
    [InlineData("[Gru(inputSize: 3, hiddenSize: 64)]", "Gru")]
    [InlineData("[Rnn(inputSize: 3, hiddenSize: 64)]", "RnnTanh")]
    [InlineData("[Rnn(inputSize: 3, hiddenSize: 64, Activation = Activation.Relu)]", "RnnRelu")]
    public void EachCellBodyIsWrittenOnceAndCalledAtEveryWidth(string attribute, string stem)
    {
        string source = Generate(attribute);
        foreach (string direction in new[] { "Forward", "Backward" })
        {
            string body = $"{stem}{direction}Vectors_H64";
            Assert.Single(Regex.Matches(source, $@"private static \w+ {body}<TOps, TVec>\("));
            foreach (string width in s_widths)
                Assert.Single(Regex.Matches(source, $@"{body}<KernelOps{width}, Vector{width}<float>>\(ref j, j1, "));
        }
        // No cell body written out with a vector type.
        Assert.DoesNotMatch(@"Vector(512|256|128)<float> (inputGate|reset|squareSum|y) =", source);
    }

    // The recurrent term is the runtime's RecurrenceKernels, written once over the shape, the width and the rows
    // (RecurrenceKernelTests checks it at every width and row count); the model only names its shape.
    [Theory]
    [InlineData("[Lstm(inputSize: 3, hiddenSize: 64)]", "LstmShape64", 4)]
    [InlineData("[Lstm(inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true)]", "LstmShape5", 4)]
    [InlineData("[Gru(inputSize: 3, hiddenSize: 64)]", "GruShape64", 3)]
    [InlineData("[Rnn(inputSize: 3, hiddenSize: 64)]", "RnnShape64", 1)]
    [InlineData("[Rnn(inputSize: 3, hiddenSize: 48, Activation = Activation.Relu)]", "RnnShape48", 1)]
    public void TheRecurrentTermIsTheRuntimesCalledWithTheStagesShape(string attribute, string shape, int gates)
    {
        string source = Generate(attribute);
        string hidden = Regex.Match(shape, @"\d+$").Value;
        Assert.Single(Regex.Matches(source, $@"file readonly struct {shape} : IRecurrentShape \{{ public static int Hidden => {hidden}; public static int Gates => {gates}; \}}"));
        Assert.Single(Regex.Matches(source, "file readonly struct"));  // one shape for every stage of that kind and size
        Assert.Matches($@"RecurrenceKernels\.Pack<global::CodeGenLstm\.Generated\.{shape}>\(width, ", source);
        Assert.Matches($@"RecurrenceKernels\.AddRecurrentTerm<global::CodeGenLstm\.Generated\.{shape}>\(width, hPrev, ", source);
        Assert.DoesNotMatch(@"Recurrence_H\d+", source);  // no packing, micro-kernel or dispatcher of its own
    }

    private static string Generate(string attributes)
    {
        var (result, output, _) = GeneratorHarness.Run($$"""
            using CodeGenLstm;
            namespace Demo;
            {{attributes}}
            public partial class M;
            """);
        Assert.Empty(GeneratorHarness.CompileErrors(output));
        return GeneratorHarness.Sources(result)["Demo.M.g.cs"];
    }
}

using System.Linq;
using System.Text.RegularExpressions;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The cells' pointwise kernels and the recurrent term's micro-kernels are written once for every vector width, as
/// methods generic over the runtime's IKernelOps, and each width that has whole vectors of H units calls them with
/// its ops struct (docs/architecture.md, "Kernels and vector paths"). KernelOpsTests (runtime) checks that such a
/// body gives the bits of one written per width; the numerical tests check the kernels at every width.
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

    [Theory]
    [InlineData("[Gru(inputSize: 3, hiddenSize: 64)]", "GruRecurrence_H64")]
    [InlineData("[Rnn(inputSize: 3, hiddenSize: 64)]", "RnnRecurrence_H64")]
    public void EachRecurrentMicroKernelIsWrittenOncePerRowCount(string attribute, string recurrence)
    {
        string source = Generate(attribute);
        Assert.DoesNotMatch($@"{recurrence}_Vector\d+_Rows", source);
        // 6 x 4 accumulators fit AVX-512's 32 registers, 2 x 4 the 16 of AVX2 and SSE (VectorWidth's step rows).
        int[] rows = { 6, 4, 2, 1 };
        foreach (int r in rows)
            Assert.Single(Regex.Matches(source, $@"private static void {recurrence}_Rows{r}<TOps, TVec>\("));
        string[] calls = Regex.Matches(source, $@"{recurrence}_Rows(\d)<KernelOps(\d+), ").Select(m => m.Groups[2].Value + "x" + m.Groups[1].Value).ToArray();
        Assert.Equal(new[] { "512x6", "512x4", "512x2", "512x1", "256x2", "256x1", "128x2", "128x1" }, calls);
    }

    // The recurrent term is the runtime's RecurrenceKernels, written once over the shape, the width and the rows
    // (RecurrenceKernelTests checks it at every width and row count); the model only names its shape.
    [Theory]
    [InlineData("[Lstm(inputSize: 3, hiddenSize: 64)]", "LstmShape64", 4)]
    [InlineData("[Lstm(inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true)]", "LstmShape5", 4)]
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

using System.Globalization;
using System.Linq;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// Float literals in the generated code round-trip exactly and the text is the same under any current
/// culture (a locale's decimal comma or minus sign once leaked into System.Text.Json's generated code).
/// </summary>
public class CultureTests
{
    private const string Source = """
        using CodeGenLstm;
        namespace Demo;
        [Lstm(inputSize: 3, hiddenSize: 4, layers: 2, Dropout = 0.1f, ForgetBias = -1.75f, InitGain = 3.4028235E+38f, Init = RecurrentInit.Orthogonal)]
        [Lstm(hiddenSize: 2, layers: 2, ForgetBias = 1e-7f, Dropout = 0.333333343f)]
        [Dense(outputSize: 2)]
        public partial class M;
        """;

    private static string Generate(string culture)
    {
        CultureInfo previous = CultureInfo.CurrentCulture, previousUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            return GeneratorHarness.Sources(GeneratorHarness.Run(Source).Result).Single().Value;
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previousUi;
        }
    }

    [Theory]
    [InlineData("fr-FR")]   // decimal comma, narrow no-break space as group separator
    [InlineData("de-DE")]
    [InlineData("sv-SE")]   // U+2212 minus sign
    [InlineData("ar-SA")]   // Arabic digits and signs
    [InlineData("fa-IR")]
    [InlineData("hi-IN")]
    public void OutputIsTheSameUnderEveryCulture(string culture)
    {
        Assert.Equal(Generate(""), Generate(culture));
    }

    [Fact]
    public void FloatLiteralsRoundTrip()
    {
        string text = Generate("");
        Assert.Contains("probability: 0.1f", text);
        Assert.Contains("probability: 0.33333334f", text);  // the shortest text for 0.333333343f
        Assert.Contains("forgetBias: -1.75f", text);
        Assert.Contains("forgetBias: 1E-07f", text);
        Assert.Contains("3.4028235E+38f", text);
    }
}

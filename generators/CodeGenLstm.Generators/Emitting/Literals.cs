using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// C# literals written the same way under every current culture: the shortest text that parses
/// back to the same float, with '.' as the decimal point and '-' as the minus sign.
/// </summary>
internal static class Literals
{
    public static string Float(float value)
    {
        if (float.IsNaN(value)) return "float.NaN";
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        // "R" is not always shortest-round-trip on .NET Framework hosts (Visual Studio); check, and
        // fall back to 9 significant digits, which always round-trip a float.
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float parsed) || !parsed.Equals(value))
            text = value.ToString("G9", CultureInfo.InvariantCulture);
        return text + "f";
    }

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A string literal with every character that needs it escaped.</summary>
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>An identifier, escaped with @ when it is a keyword.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.RecordKeyword
            ? "@" + name
            : name;
}

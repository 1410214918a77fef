using System;
using System.Globalization;
using System.Text;

namespace CodeGenLstm;

/// <summary>A shape as error messages show it, <c>[2, 3]</c>, the same in every culture.</summary>
internal static class ShapeText
{
    /// <summary>The dimensions (a tensor's int ones or a safetensors header's long ones) in the invariant culture.</summary>
    public static string Format<T>(ReadOnlySpan<T> shape)
        where T : struct, IFormattable
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(shape[i].ToString(null, CultureInfo.InvariantCulture));
        }
        return text.Append(']').ToString();
    }
}

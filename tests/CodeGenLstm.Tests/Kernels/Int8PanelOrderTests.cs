using System;
using System.Collections.Generic;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The int8 panel blocks (x64 without AVX-VNNI: AVX-512BW at width 512, AVX2 at 256) give the bits of the scalar
/// row-by-row reference (<c>Int8Rows</c> at width 0: its sums are exact integers, then one multiply and one add),
/// for every register block (6, 4, 2, 1 sequences; 1, 3, 4 gates), panels cut by the unit range, and nothing
/// written outside the range. A process with AVX-VNNI has no panel path and checks nothing here: run under
/// DOTNET_EnableAVXVNNI=0 for these to bite.
/// </summary>
[Trait("Category", "Numerical")]
public class Int8PanelOrderTests
{
    public static TheoryData<int, int> GatesAndColumns()
    {
        var data = new TheoryData<int, int>();
        foreach (int gates in new[] { 1, 3, 4 })
            for (int columns = 1; columns <= 70; columns++) data.Add(gates, columns);
        return data;
    }

    [Theory]
    [MemberData(nameof(GatesAndColumns))]
    public void EveryPanelWidthGivesTheScalarReferencesBits(int gates, int columns)
    {
        int rows = gates * columns, ldc = rows + 3, stride = ReducedKernels.Int8Stride(columns);  // 3 floats past each row that must stay
        var random = new Random(gates * 100 + columns);
        sbyte[] rowMajor = new sbyte[rows * stride], panels = new sbyte[ReducedKernels.Int8PanelLength(gates, columns)];
        float[] scales = new float[rows], row = new float[columns], bias = new float[rows];
        int[] sums = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < columns; k++) row[k] = (float)(random.NextDouble() * 2 - 1) / MathF.Sqrt(columns);
            ReducedKernels.QuantizeRow(row, rowMajor.AsSpan(r * stride, stride), out scales[r], out sums[r]);
            ReducedKernels.PackInt8PanelRow(rowMajor.AsSpan(r * stride, columns), r, gates, columns, panels);
            bias[r] = (float)(random.NextDouble() - 0.5);
        }
        for (int batch = 1; batch <= 13; batch++)
        {
            float[] h = new float[batch * columns], c = new float[batch * ldc];
            for (int i = 0; i < h.Length; i++) h[i] = (float)(random.NextDouble() * 1.6 - 0.8);
            for (int i = 0; i < c.Length; i++) c[i] = (float)(random.NextDouble() * 2 - 1);
            float[] start = batch % 2 == 0 ? bias : Array.Empty<float>();  // both starts: the bias, and c itself
            foreach (int width in new[] { 512, 256 })
            {
                if (!ReducedKernels.UsesInt8Panels(width)) continue;
                foreach (var (unitStart, unitEnd) in UnitRanges(columns))
                {
                    float[] expected = (float[])c.Clone(), actual = (float[])c.Clone();
                    ReducedKernels.Int8Rows(0, rowMajor, scales, sums, columns, gates, h, start, expected, ldc, unitStart, unitEnd, 0, batch);
                    ReducedKernels.Int8PanelRows(width, panels, scales, columns, gates, h, start, actual, ldc, unitStart, unitEnd, 0, batch);
                    for (int i = 0; i < actual.Length; i++)
                        if (!InOrderProducts.SameBits(expected[i], actual[i]))
                            Assert.Fail($"width {width}, batch {batch}, units [{unitStart}, {unitEnd}), c[{i}]: {actual[i]:R}, expected {expected[i]:R}");
                }
            }
        }
    }

    // The whole range; one that starts and ends inside panels; one across the first panel's end (units 15, 16).
    private static IEnumerable<(int, int)> UnitRanges(int columns)
    {
        yield return (0, columns);
        yield return (columns / 3, Math.Max(columns / 3 + 1, columns - columns / 4));
        yield return (Math.Min(15, columns - 1), Math.Min(columns, 17));
    }
}

using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The bfloat16 panel kernel gives, at every width, the bits of a scalar sum of the rounded weights taken in the
/// same order (each unit's terms from column 0 up, then start + sum), multiply-adds fused exactly where the
/// vector path fuses them (<see cref="InOrderProducts"/>); a width this process cannot run is the scalar path,
/// never fused. Every register block (6, 4, 2, 1 sequences; 1, 3, 4 gates), panels cut by the unit range, and
/// nothing written outside the range.
/// </summary>
[Trait("Category", "Numerical")]
public class BFloat16OrderTests
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
    public void EveryWidthGivesTheInOrderScalarSumsBits(int gates, int columns)
    {
        int rows = gates * columns, ldc = rows + 3;  // 3 floats past each row that must stay as they were
        var random = new Random(gates * 100 + columns);
        float[] weights = new float[rows * columns], rounded = new float[rows * columns];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(random.NextDouble() * 2 - 1) / MathF.Sqrt(columns);
            rounded[i] = NearestBFloat16(weights[i]);
        }
        ushort[] panels = new ushort[ReducedKernels.BFloat16PanelLength(gates, columns)];
        for (int r = 0; r < rows; r++) ReducedKernels.PackBFloat16PanelRow(weights.AsSpan(r * columns, columns), r, gates, columns, panels);
        float[] bias = new float[rows];
        for (int i = 0; i < rows; i++) bias[i] = (float)(random.NextDouble() - 0.5);

        for (int batch = 1; batch <= 13; batch++)
        {
            float[] h = new float[batch * columns], c = new float[batch * ldc];
            for (int i = 0; i < h.Length; i++) h[i] = (float)(random.NextDouble() * 1.6 - 0.8);
            for (int i = 0; i < c.Length; i++) c[i] = (float)(random.NextDouble() * 2 - 1);
            float[] start = batch % 2 == 0 ? bias : Array.Empty<float>();  // both starts: the bias, and c itself
            float[] unfused = Expected(rounded, h, start, c, gates, columns, ldc, batch, fused: false);
            float[] fused = Expected(rounded, h, start, c, gates, columns, ldc, batch, fused: true);
            foreach (int width in new[] { 512, 256, 128, 0 })
                foreach (var (unitStart, unitEnd) in UnitRanges(columns))
                {
                    float[] actual = (float[])c.Clone();
                    ReducedKernels.BFloat16PanelRows(width, panels, columns, gates, h, start, actual, ldc, unitStart, unitEnd, 0, batch);
                    float[] inOrder = RunsVector(width) ? fused : unfused;
                    for (int i = 0; i < actual.Length; i++)
                    {
                        int unit = i % ldc % columns;
                        bool inRange = i % ldc < rows && unit >= unitStart && unit < unitEnd;
                        float expected = inRange ? inOrder[i] : c[i];
                        if (!InOrderProducts.SameBits(expected, actual[i]))
                            Assert.Fail($"width {width}, batch {batch}, units [{unitStart}, {unitEnd}), c[{i}]: {actual[i]:R}, expected {expected:R}");
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

    // The widths BFloat16PanelRows runs as vectors; any other is its scalar reference, one rounded product and one rounded sum a term.
    private static bool RunsVector(int width) => width switch
    {
        512 => Vector512.IsHardwareAccelerated,
        256 => Vector256.IsHardwareAccelerated,
        128 => Vector128.IsHardwareAccelerated,
        _ => false,
    };

    // c[b, row] = start[row] (or c itself) + the row's terms summed from column 0 up, in float, fused or not.
    private static float[] Expected(float[] rounded, float[] h, float[] start, float[] c, int gates, int columns, int ldc, int batch, bool fused)
    {
        float[] result = (float[])c.Clone();
        for (int b = 0; b < batch; b++)
            for (int row = 0; row < gates * columns; row++)
            {
                float sum = 0f;
                for (int k = 0; k < columns; k++)
                {
                    float w = rounded[row * columns + k], x = h[b * columns + k];
                    sum = fused ? InOrderProducts.MultiplyAdd(w, x, sum) : w * x + sum;
                }
                result[b * ldc + row] = (start.Length == 0 ? c[b * ldc + row] : start[row]) + sum;
            }
        return result;
    }

    // The nearest bfloat16 (the upper 16 bits of a float), ties to the even one, found as the closer of the two neighbours.
    private static float NearestBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        float down = BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u), up = BitConverter.UInt32BitsToSingle((bits & 0xFFFF0000u) + 0x10000u);
        double dDown = Math.Abs((double)value - down), dUp = Math.Abs((double)up - value);
        if (dDown != dUp) return dDown < dUp ? down : up;
        return ((bits >> 16) & 1u) == 0 ? down : up;
    }
}

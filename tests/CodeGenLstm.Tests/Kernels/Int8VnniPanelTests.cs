using System;
using System.Linq;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The int8 recurrent term from the AVX-VNNI panels of 8 units (ReducedKernels.Int8VnniPanelRows) against the scalar
/// row-by-row path (Int8Rows at width 0), bit for bit: both sum the same integers exactly, so any difference is a
/// misplaced byte, a lost column group or a wrong finish. And the packing of one row into the panels against the
/// layout decoded by hand.
/// </summary>
[Trait("Category", "Numerical")]
public class Int8VnniPanelTests
{
    public static TheoryData<int, bool> GatesAndBias => new() { { 1, false }, { 1, true }, { 3, false }, { 3, true }, { 4, false }, { 4, true } };

    [AvxVnniTheory]
    [MemberData(nameof(GatesAndBias))]
    public void PanelTermGivesTheScalarRowPathsBits(int gates, bool withBias)
    {
        // Every column count 1..70 (tails of 1, 2 and 3 columns past a group of 4, hidden sizes ending inside a panel of 8),
        // every batch 1..13 (the 2-sequence blocks and a last one alone), shares of units that start and end inside panels.
        for (int columns = 1; columns <= 70; columns++)
        {
            var quantized = Quantized(gates, columns, seed: 100 * columns + gates);
            int rows = gates * columns, ldc = rows + columns % 3;  // c's rows longer than the term's now and then
            float[] bias = withBias ? Enumerable.Range(0, rows).Select(i => 0.01f * (i % 7) - 0.03f).ToArray() : Array.Empty<float>();
            for (int batch = 1; batch <= 13; batch++)
            {
                var random = new Random(columns * 31 + batch);
                float[] h = State(random, batch, columns);
                float[] c = Enumerable.Range(0, batch * ldc).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                int b0 = batch > 2 ? 1 : 0;
                foreach ((int unitStart, int unitEnd) in Shares(columns))
                {
                    float[] expected = (float[])c.Clone();
                    ReducedKernels.Int8Rows(0, quantized.Rows, quantized.Scales, quantized.Sums, columns, gates, h, bias, expected, ldc, unitStart, unitEnd, b0, batch);
                    foreach (int width in Widths())
                    {
                        float[] actual = (float[])c.Clone();
                        ReducedKernels.Int8VnniPanelRows(width, quantized.Panels, quantized.Scales, quantized.Sums, columns, gates, h, bias, actual, ldc, unitStart, unitEnd, b0, batch);
                        for (int i = 0; i < c.Length; i++)
                            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                                $"gates {gates}, columns {columns}, batch {batch}, units [{unitStart}, {unitEnd}), width {width}, bias {withBias}: c[{i}] = {actual[i]:R}, scalar rows {expected[i]:R}");
                    }
                }
            }
        }
    }

    [AvxVnniTheory]
    [InlineData(4, 37, 5)]
    [InlineData(3, 70, 13)]
    [InlineData(1, 9, 2)]
    public void TheModelsCopyRunsTheVnniPanelsAtEveryWidth(int gates, int hidden, int batch)
    {
        // The wiring: ReducedRecurrentWeights (as a model builds it, in shares) gives Int8VnniPanelRows's bits, which the
        // theory above ties to the scalar path; the path is named AvxVnni.
        var random = new Random(hidden);
        float[] weights = Enumerable.Range(0, gates * hidden * hidden).Select(_ => (float)(random.NextDouble() * 2 - 1) / MathF.Sqrt(hidden)).ToArray();
        var reduced = new ReducedRecurrentWeights();
        reduced.Prepare(InferencePrecision.Int8, gates * hidden, hidden);
        for (int part = 0; part < 3; part++) reduced.Build(InferencePrecision.Int8, weights, part, 3);
        reduced.Record(1, InferencePrecision.Int8);
        float[] h = State(random, batch, hidden);
        float[] c = Enumerable.Range(0, batch * gates * hidden).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] scalar = (float[])c.Clone();
        reduced.AddRecurrentTerm(InferencePrecision.Int8, 0, h, default, scalar, gates * hidden, 0, batch, 0, hidden);
        foreach (int width in Widths())
        {
            Assert.Equal("AvxVnni", ReducedKernels.Int8Path(width));
            float[] vector = (float[])c.Clone();
            reduced.AddRecurrentTerm(InferencePrecision.Int8, width, h, default, vector, gates * hidden, 0, batch, 0, hidden);
            Assert.Equal(scalar, vector);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 13)]
    [InlineData(3, 6)]
    [InlineData(4, 8)]
    [InlineData(4, 11)]
    [InlineData(3, 17)]
    public void PackingARowWritesItsBytesWhereTheLayoutSaysAndNoOthers(int gates, int columns)
    {
        // The layout decoded by hand: panel p, group t of 4 columns, gate g, lane j, byte i of the lane hold
        // w[g * columns + 8 p + j, 4 t + i], or 0 past the last unit or column. Packing is pure byte moving: no VNNI needed.
        int groups = (columns + 3) / 4, panels = (columns + 7) / 8, rows = gates * columns;
        Assert.Equal((long)panels * groups * gates * 32, ReducedKernels.Int8VnniPanelLength(gates, columns));
        sbyte Weight(int row, int k) => (sbyte)((row * 37 + k * 11) % 255 - 127);  // distinct enough to catch a swap
        for (int row = 0; row < rows; row++)
        {
            // One row into panels full of a marker: its bytes land where decoded, every other byte keeps the marker.
            const sbyte Marker = 0x55;
            sbyte[] packed = Enumerable.Repeat(Marker, (int)ReducedKernels.Int8VnniPanelLength(gates, columns)).ToArray();
            sbyte[] q = Enumerable.Range(0, columns).Select(k => Weight(row, k)).ToArray();
            ReducedKernels.PackInt8VnniPanelRow(q, row, gates, columns, packed);
            for (int at = 0; at < packed.Length; at++)
            {
                int i = at % 4, j = at / 4 % 8, g = at / 32 % gates, t = at / 32 / gates % groups, p = at / 32 / gates / groups;
                int unit = 8 * p + j, k = 4 * t + i;
                sbyte expected = g * columns + unit == row && unit < columns && k < columns ? Weight(row, k) : Marker;
                Assert.True(expected == packed[at], $"row {row}: byte {at} (panel {p}, group {t}, gate {g}, lane {j}, byte {i}) is {packed[at]}, expected {expected}");
            }
        }
        // All rows into zeroed panels: the padding (units past the last, columns past the last) stays 0.
        sbyte[] all = new sbyte[ReducedKernels.Int8VnniPanelLength(gates, columns)];
        for (int row = 0; row < rows; row++)
            ReducedKernels.PackInt8VnniPanelRow(Enumerable.Range(0, columns).Select(k => Weight(row, k)).ToArray(), row, gates, columns, all);
        for (int at = 0; at < all.Length; at++)
        {
            int i = at % 4, j = at / 4 % 8, g = at / 32 % gates, t = at / 32 / gates % groups, p = at / 32 / gates / groups;
            int unit = 8 * p + j, k = 4 * t + i;
            Assert.Equal(unit < columns && k < columns ? Weight(g * columns + unit, k) : (sbyte)0, all[at]);
        }
    }

    // Whole, one unit, shares that start and end inside a panel of 8, and one that crosses a panel boundary.
    private static (int, int)[] Shares(int columns) =>
        new[] { (0, columns), (columns - 1, columns), (columns / 3, columns - columns / 5), (Math.Min(5, columns - 1), Math.Min(11, columns)), (0, Math.Max(1, columns - 3)) }
            .Where(s => s.Item1 >= 0 && s.Item2 > s.Item1).Distinct().ToArray();

    // Every accelerated width: all of them are the AvxVnni path where it runs.
    private static int[] Widths() =>
        new[] { (512, Vector512.IsHardwareAccelerated), (256, Vector256.IsHardwareAccelerated), (128, Vector128.IsHardwareAccelerated) }
            .Where(w => w.Item2).Select(w => w.Item1).ToArray();

    // h in (-0.8, 0.8) with the extremes of the levels: each sequence's largest magnitude with both signs (u = 255 and 1)
    // and zeros (u = 128), and now and then a sequence of zeros (scale 1, every byte 128).
    private static float[] State(Random random, int batch, int columns)
    {
        float[] h = Enumerable.Range(0, batch * columns).Select(_ => (float)(random.NextDouble() * 1.6 - 0.8)).ToArray();
        for (int b = 0; b < batch; b++)
        {
            Span<float> row = h.AsSpan(b * columns, columns);
            if (b % 5 == 4) { row.Clear(); continue; }
            row[b % columns] = 0.9f;
            row[(b + columns / 2) % columns] = columns > 1 ? -0.9f : 0.9f;
            for (int k = b % 3; k < columns; k += 7) row[k] = 0f;
        }
        return h;
    }

    private sealed record QuantizedWeights(sbyte[] Rows, sbyte[] Panels, float[] Scales, int[] Sums);

    // W_hh quantized by rows (Int8Rows's layout, the scalar oracle's input) and packed into the VNNI panels from the same
    // bytes; each row holds its largest magnitude with both signs (q = 127 and -127) in places that move with the row.
    private static QuantizedWeights Quantized(int gates, int columns, int seed)
    {
        var random = new Random(seed);
        int rows = gates * columns, stride = ReducedKernels.Int8Stride(columns);
        float[] weights = Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 2 - 1) / MathF.Sqrt(columns)).ToArray();
        for (int r = 0; r < rows; r++)
        {
            weights[r * columns + r % columns] = 1.5f;
            if (columns > 1) weights[r * columns + (r + 1) % columns] = -1.5f;
        }
        sbyte[] rowBytes = new sbyte[rows * stride];
        sbyte[] panels = new sbyte[ReducedKernels.Int8VnniPanelLength(gates, columns)];
        float[] scales = new float[rows];
        int[] sums = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            ReducedKernels.QuantizeRow(weights.AsSpan(r * columns, columns), rowBytes.AsSpan(r * stride, stride), out scales[r], out sums[r]);
            ReducedKernels.PackInt8VnniPanelRow(rowBytes.AsSpan(r * stride, columns), r, gates, columns, panels);
        }
        return new QuantizedWeights(rowBytes, panels, scales, sums);
    }
}

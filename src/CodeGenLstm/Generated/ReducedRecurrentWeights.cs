using System;
using System.Threading;
using System.ComponentModel;

namespace CodeGenLstm.Generated;

/// <summary>
/// A recurrent stage's W_hh [gates * H, H] in reduced precision (bfloat16, or int8 with per-row scales), for
/// inference, and the recurrent term computed from it; in int8 also its W_ih [gates * H, input size], whose product
/// with every step's input is computed the same way (the input rows in the place of h). Parameters stays the source of truth: this is a copy, rebuilt
/// by the packing protocol of <see cref="PanelStamp"/> whenever the stage's weights version or the precision
/// changed. One per direction of each recurrent stage of a generated model.
/// </summary>
/// <remarks>
/// For generated code, not for users. The arrays are allocated by <c>Prepare</c> (called when the model's
/// InferencePrecision is set, never during a call), filled by <see cref="Build"/> (each part its share of the
/// rows), and recorded by <see cref="Record"/> after a barrier, as a stamp is.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ReducedRecurrentWeights
{
    private int _rows, _units, _columns;  // [gates * units, columns]
    private ushort[] _bfloat16 = Array.Empty<ushort>();  // panels of 16 units (ReducedKernels.PackBFloat16PanelRow)
    private sbyte[] _int8 = Array.Empty<sbyte>();        // [rows, Int8Stride(columns)]
    private sbyte[] _int8Panels = Array.Empty<sbyte>();  // the same bytes in panels of 16 units (x64 without VNNI; ReducedKernels.PackInt8PanelRow)
    private sbyte[] _int8VnniPanels = Array.Empty<sbyte>();  // the same bytes in panels of 8 units (x64 with VNNI; ReducedKernels.PackInt8VnniPanelRow)
    private float[] _scales = Array.Empty<float>();      // [rows]: int8 row scales, max|w| / 127
    private int[] _sums = Array.Empty<int>();            // [rows]: the sum of each int8 row
    private int _version;
    private InferencePrecision _built;                   // Float32: nothing built yet

    /// <summary>
    /// The int8 dot products this machine runs at vector width <paramref name="width"/>: "AvxVnni", "Avx512BW" (width
    /// 512), "Avx2", "Dp" (ARM64 with the dot-product extension), "AdvSimd" (ARM64 without it) or "Scalar".
    /// </summary>
    public static string Int8Path(int width) => ReducedKernels.Int8Path(width);

    /// <summary>
    /// Allocates the storage of <paramref name="precision"/> for a W_hh of <paramref name="rows"/> x
    /// <paramref name="columns"/> (nothing for Float32, nothing when already there). Everything is allocated before
    /// anything is stored, so that running out of memory leaves the object as it was.
    /// </summary>
    public void Prepare(InferencePrecision precision, int rows, int columns) => Prepare(precision, rows, columns, columns);

    /// <summary>
    /// Allocates the storage of <paramref name="precision"/> for a weight matrix of <paramref name="rows"/> (gates x
    /// <paramref name="units"/>) x <paramref name="columns"/>, as the other overload. bfloat16 takes only a square
    /// gate block (W_hh), int8 at most <see cref="MaxInt8Columns"/> columns.
    /// </summary>
    public void Prepare(InferencePrecision precision, int rows, int units, int columns)
    {
        if (rows <= 0 || units <= 0 || columns <= 0 || rows % units != 0) throw new ArgumentOutOfRangeException(nameof(rows));
        if (precision == InferencePrecision.BFloat16 && units != columns) throw new ArgumentOutOfRangeException(nameof(units));
        if (precision == InferencePrecision.Int8 && columns > MaxInt8Columns) throw new ArgumentOutOfRangeException(nameof(columns));
        if (precision == InferencePrecision.BFloat16 && _bfloat16.Length == 0)
        {
            ushort[] weights = new ushort[ReducedKernels.BFloat16PanelLength(rows / columns, columns)];
            (_rows, _units, _columns) = (rows, units, columns);
            _bfloat16 = weights;
        }
        else if (precision == InferencePrecision.Int8 && _int8.Length == 0)
        {
            sbyte[] weights = new sbyte[(long)rows * ReducedKernels.Int8Stride(columns)];
            // The row-major copy stays beside the panels: the scalar path reads it (the reference the panels are tested against).
            // At most one panel layout: the 16-unit one without VNNI, the 8-unit one with it.
            sbyte[] panels = ReducedKernels.Int8PanelsPossible ? new sbyte[ReducedKernels.Int8PanelLength(rows / units, units, columns)] : Array.Empty<sbyte>();
            sbyte[] vnniPanels = ReducedKernels.Int8VnniPanelsPossible ? new sbyte[ReducedKernels.Int8VnniPanelLength(rows / units, units, columns)] : Array.Empty<sbyte>();
            float[] scales = new float[rows];
            int[] sums = new int[rows];
            (_rows, _units, _columns) = (rows, units, columns);
            (_int8, _int8Panels, _int8VnniPanels, _scales, _sums) = (weights, panels, vnniPanels, scales, sums);
        }
    }

    /// <summary>The most columns an int8 copy takes (a longer W_ih row keeps its float32 product).</summary>
    public const int MaxInt8Columns = ReducedKernels.Int8MaxColumns;

    /// <summary>
    /// The fewest weights of W_ih (gates x hidden units x input size) for which int8 inference quantizes the input
    /// projection too: 2^18, 1 MiB in float32 (an LSTM with H = 256 and input 256). There the int8 product pays (measured
    /// on Zen 5 with AVX-VNNI, this build against one with 2^20, in one process: LSTM H = 256 calls 2-7% faster at batch 1,
    /// 9-16% at batch 16). Below it nothing was measured to pay, and rounding each step's input to 255 levels would cost
    /// accuracy for nothing (the samples' models, whose W_ih are at most 2^16 weights, keep float32 input projections).
    /// </summary>
    public const int MinInt8InputWeights = 1 << 18;

    /// <summary>What <see cref="QuantizesInput"/> compares with: <see cref="MinInt8InputWeights"/>, lowered by tests only.</summary>
    internal static int Int8InputThreshold = MinInt8InputWeights;

    /// <summary>
    /// Whether int8 inference quantizes a W_ih of <paramref name="rows"/> x <paramref name="columns"/> (and each step's
    /// input): at least <see cref="MinInt8InputWeights"/> weights, at most <see cref="MaxInt8Columns"/> columns. A
    /// model's setter of InferencePrecision asks once and allocates the copy; its calls then test <see cref="HoldsInt8"/>.
    /// </summary>
    public static bool QuantizesInput(int rows, int columns) =>
        columns <= MaxInt8Columns && (long)rows * columns >= Volatile.Read(ref Int8InputThreshold);

    /// <summary>Whether the int8 storage is allocated (<see cref="Prepare(InferencePrecision, int, int, int)"/> with Int8).</summary>
    public bool HoldsInt8 => _int8.Length > 0;

    /// <summary>Whether the copy must be built again for weights of <paramref name="version"/> at <paramref name="precision"/>.</summary>
    public bool IsStale(int version, InferencePrecision precision) => _built != precision || _version != version;

    /// <summary>Records that the copy now holds the weights of <paramref name="version"/> at <paramref name="precision"/>.</summary>
    public void Record(int version, InferencePrecision precision)
    {
        _version = version;
        _built = precision;
    }

    /// <summary>Builds part <paramref name="part"/> of <paramref name="parts"/>' share of the rows from <paramref name="weightHh"/> (row-major; W_ih for a W_ih copy).</summary>
    public void Build(InferencePrecision precision, ReadOnlySpan<float> weightHh, int part, int parts)
    {
        int rows = _rows, units = _units, columns = _columns;
        if (weightHh.Length < (long)rows * columns) SharedKernels.ThrowExtent(nameof(Build));
        SharedKernels.Split(rows, 1, part, parts, out int first, out int last);
        if (precision == InferencePrecision.BFloat16)
        {
            if (_bfloat16.Length == 0) SharedKernels.ThrowExtent(nameof(Build));
            for (int r = first; r < last; r++)
                ReducedKernels.PackBFloat16PanelRow(weightHh.Slice(r * columns, columns), r, rows / columns, columns, _bfloat16);
        }
        else if (precision == InferencePrecision.Int8)
        {
            if (_int8.Length == 0) SharedKernels.ThrowExtent(nameof(Build));
            int stride = ReducedKernels.Int8Stride(columns);
            for (int r = first; r < last; r++)
            {
                ReducedKernels.QuantizeRow(weightHh.Slice(r * columns, columns), _int8.AsSpan(r * stride, stride), out _scales[r], out _sums[r]);
                if (_int8Panels.Length > 0) ReducedKernels.PackInt8PanelRow(_int8.AsSpan(r * stride, columns), r, rows / units, units, columns, _int8Panels);
                if (_int8VnniPanels.Length > 0) ReducedKernels.PackInt8VnniPanelRow(_int8.AsSpan(r * stride, columns), r, rows / units, units, columns, _int8VnniPanels);
            }
        }
    }

    /// <summary>
    /// The recurrent term of one step at <paramref name="precision"/>, as a generated recurrence kernel computes it:
    /// c[b, g * H + j] = start + W_hh[g * H + j, :] . h[b, :] for the sequences [rowStart, rowEnd), hidden units
    /// [unitStart, unitEnd) and every gate; start is b_hh when <paramref name="bias"/> is not empty, else c itself.
    /// <paramref name="width"/> 0 runs the scalar reference. For a W_ih copy, the rows of h are the input rows (input
    /// size values each) and the result is the input projection of those rows.
    /// </summary>
    public void AddRecurrentTerm(InferencePrecision precision, int width, ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c, int ldc,
        int rowStart, int rowEnd, int unitStart, int unitEnd)
    {
        int hidden = _units, columns = _columns, gates = _rows / Math.Max(1, _units);
        // Not _built: part 0 records it after a barrier, which other parts may have passed already (the protocol
        // guarantees the copy is whole by then).
        bool present = precision == InferencePrecision.Int8 ? _int8.Length > 0 : precision == InferencePrecision.BFloat16 && _bfloat16.Length > 0;
        if (!present || unitStart < 0 || unitEnd > hidden) SharedKernels.ThrowExtent(nameof(AddRecurrentTerm));
        if (precision == InferencePrecision.Int8)
        {
            if (ReducedKernels.UsesInt8VnniPanels(width) && _int8VnniPanels.Length > 0)
            {
                ReducedKernels.Int8VnniPanelRows(width, _int8VnniPanels, _scales, _sums, hidden, columns, gates, h, bias, c, ldc, unitStart, unitEnd, rowStart, rowEnd);
                return;
            }
            if (ReducedKernels.UsesInt8Panels(width) && _int8Panels.Length > 0)
            {
                ReducedKernels.Int8PanelRows(width, _int8Panels, _scales, hidden, columns, gates, h, bias, c, ldc, unitStart, unitEnd, rowStart, rowEnd);
                return;
            }
            ReducedKernels.Int8Rows(width, _int8, _scales, _sums, hidden, columns, gates, h, bias, c, ldc, unitStart, unitEnd, rowStart, rowEnd);
            return;
        }
        ReducedKernels.BFloat16PanelRows(width, _bfloat16, hidden, gates, h, bias, c, ldc, unitStart, unitEnd, rowStart, rowEnd);
    }
}

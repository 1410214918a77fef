using System.ComponentModel;

namespace CodeGenLstm.Generated;

/// <summary>
/// The two sizes a recurrent stage's recurrent term W_hh h_{t-1} depends on, known when the JIT compiles a method:
/// <see cref="RecurrenceKernels"/> takes <c>TShape : struct, IRecurrentShape</c> and reads <c>TShape.Hidden</c> and
/// <c>TShape.Gates</c>, which each struct type argument turns into constants (see <see cref="IConstant"/>), so that
/// the one runtime kernel compiles to the kernel written out for those sizes. A generated model declares one
/// file-local struct per (cell kind, hidden size) it has.
/// </summary>
/// <remarks>For generated code, not for users: hidden from IntelliSense.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRecurrentShape
{
    /// <summary>H, the hidden units of one direction (1 to 2^24).</summary>
    static abstract int Hidden { get; }

    /// <summary>The cell's gate blocks in W_hh: 4 for an LSTM (i, f, g, o), 3 for a GRU (r, z, n), 1 for a plain RNN.</summary>
    static abstract int Gates { get; }
}

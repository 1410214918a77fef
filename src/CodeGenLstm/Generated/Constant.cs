using System.ComponentModel;

namespace CodeGenLstm.Generated;

/// <summary>
/// An integer known when the JIT compiles a method: a kernel written once over, say, a number of rows takes
/// <c>TCount : struct, IConstant</c> and reads <c>TCount.Value</c>. Each struct type argument gets its own
/// compiled method in which the value is a constant, so <c>if (TCount.Value &gt; 2)</c> costs nothing and the
/// machine code is that of a kernel written out for that count.
/// </summary>
/// <remarks>For generated code and the runtime's kernels, not for users: hidden from IntelliSense.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IConstant
{
    /// <summary>The value.</summary>
    static abstract int Value { get; }
}

/// <summary>The constant 1, for kernels written over a row count (see <see cref="IConstant"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct One : IConstant
{
    /// <inheritdoc/>
    public static int Value => 1;
}

/// <summary>The constant 2, for kernels written over a row count (see <see cref="IConstant"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Two : IConstant
{
    /// <inheritdoc/>
    public static int Value => 2;
}

/// <summary>The constant 4, for kernels written over a row count (see <see cref="IConstant"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Four : IConstant
{
    /// <inheritdoc/>
    public static int Value => 4;
}

/// <summary>The constant 6, for kernels written over a row count (see <see cref="IConstant"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Six : IConstant
{
    /// <inheritdoc/>
    public static int Value => 6;
}

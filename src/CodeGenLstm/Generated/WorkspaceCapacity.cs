using System;
using System.ComponentModel;

namespace CodeGenLstm.Generated;

/// <summary>
/// What a generated model's workspace holds: rows (batch * steps), sequences and steps, the largest of each seen
/// so far (default: nothing). A call that fits grows nothing; one that does not grows every buffer to the larger
/// of the capacity and the call, all or nothing (<see cref="WorkspaceGrowth"/>), and <see cref="Record"/> keeps
/// the new capacity only once the growth is committed, so a call rejected there leaves the model as it was.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct WorkspaceCapacity
{
    private long _rows;
    private int _batch, _steps;

    /// <summary>Whether the workspace already holds a call of <paramref name="batch"/> sequences of <paramref name="steps"/> steps.</summary>
    public readonly bool Holds(int batch, int steps) => (long)batch * steps <= _rows && batch <= _batch && steps <= _steps;

    /// <summary>A growth, in its first pass, to the larger of this capacity and the call (each of rows, sequences, steps).</summary>
    public readonly WorkspaceGrowth Grow(int batch, int steps) => new(batch, steps,
        Math.Max((long)batch * steps, _rows), Math.Max(batch, _batch), Math.Max(steps, _steps));

    /// <summary>Keeps the sizes of <paramref name="growth"/>, after its last pass.</summary>
    public void Record(WorkspaceGrowth growth)
    {
        ArgumentNullException.ThrowIfNull(growth);
        _rows = growth.Rows;
        _batch = growth.Batch;
        _steps = growth.Steps;
    }
}

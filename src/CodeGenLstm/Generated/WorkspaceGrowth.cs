using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;

namespace CodeGenLstm.Generated;

/// <summary>
/// Grows a generated model's workspace all or nothing. The model's growing code runs three times over the
/// same buffers: <see cref="Measure"/> checks every size (an impossible one throws naming batch or steps,
/// before anything is allocated), <see cref="Allocate"/> allocates every new array without storing any
/// (an <see cref="OutOfMemoryException"/> there leaves the model as it was), and <see cref="Commit"/>
/// stores them. Between the passes no buffer changes, so each pass takes the same branches. A model starts a
/// growth from its <see cref="WorkspaceCapacity"/> and runs its growing code once per pass:
/// <c>do Grow(growth); while (growth.NextPass());</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WorkspaceGrowth
{
    private enum Pass
    {
        Measure,
        Allocate,
        Commit,
    }

    private readonly int _batch, _steps;
    private readonly List<Array> _arrays = new();
    private Pass _pass;
    private int _next;

    /// <summary>Starts the growth for a call of <paramref name="batch"/> sequences of <paramref name="steps"/> steps.</summary>
    public WorkspaceGrowth(int batch, int steps)
    {
        _batch = batch;
        _steps = steps;
        Rows = (long)batch * steps;
        Batch = batch;
        Steps = steps;
    }

    /// <summary>
    /// Starts the growth for a call of <paramref name="batch"/> sequences of <paramref name="steps"/> steps, to a
    /// workspace that holds <paramref name="rows"/> rows, <paramref name="largestBatch"/> sequences and
    /// <paramref name="largestSteps"/> steps (the call's and the capacity's largest: see <see cref="WorkspaceCapacity.Grow"/>).
    /// </summary>
    public WorkspaceGrowth(int batch, int steps, long rows, int largestBatch, int largestSteps)
        : this(batch, steps)
    {
        Rows = rows;
        Batch = largestBatch;
        Steps = largestSteps;
    }

    /// <summary>The rows (batch * steps) the grown workspace holds.</summary>
    public long Rows { get; }

    /// <summary>The sequences the grown workspace holds.</summary>
    public int Batch { get; }

    /// <summary>The steps the grown workspace holds.</summary>
    public int Steps { get; }

    /// <summary>
    /// Moves from Measure to Allocate, or from Allocate to Commit, and says whether there is a pass to run; false
    /// after Commit: the growth is done.
    /// </summary>
    public bool NextPass()
    {
        switch (_pass)
        {
            case Pass.Measure: Allocate(); return true;
            case Pass.Allocate: Commit(); return true;
            default: return false;
        }
    }

    /// <summary>Moves to the pass that allocates the new arrays (after a <see cref="Measure"/> pass that threw nothing).</summary>
    public void Allocate()
    {
        _pass = Pass.Allocate;
        _next = 0;
    }

    /// <summary>Moves to the pass that stores the arrays allocated by the <see cref="Allocate"/> pass.</summary>
    public void Commit()
    {
        _pass = Pass.Commit;
        _next = 0;
    }

    /// <summary>The first pass (the state of a new instance): checks sizes only.</summary>
    public void Measure()
    {
        _pass = Pass.Measure;
        _next = 0;
    }

    /// <summary>Makes <paramref name="buffer"/> hold at least <paramref name="length"/> floats, in the current pass's way; contents are not kept.</summary>
    public void Ensure(ref float[] buffer, long length)
    {
        if (Grow(buffer.Length, length, sizeof(float)) is { } grown)
        {
            if (_pass == Pass.Allocate) _arrays.Add(new float[length]);
            else buffer = (float[])grown;
        }
    }

    /// <summary>Makes both buffers (an activation and its gradient, say) hold at least <paramref name="length"/> floats each, as two calls of <see cref="Ensure(ref float[], long)"/>.</summary>
    public void Ensure(ref float[] buffer, ref float[] twin, long length)
    {
        Ensure(ref buffer, length);
        Ensure(ref twin, length);
    }

    /// <summary>Makes <paramref name="buffer"/> hold at least <paramref name="length"/> ints, in the current pass's way; contents are not kept.</summary>
    public void Ensure(ref int[] buffer, long length)
    {
        if (Grow(buffer.Length, length, sizeof(int)) is { } grown)
        {
            if (_pass == Pass.Allocate) _arrays.Add(new int[length]);
            else buffer = (int[])grown;
        }
    }

    /// <summary>
    /// Null when the buffer is large enough or in the Measure pass (after checking the size); else, in the Allocate
    /// pass, a placeholder (the caller allocates), in the Commit pass the array allocated for this buffer.
    /// </summary>
    private Array? Grow(int current, long length, int elementBytes)
    {
        if (length > ModelSupport.MaxElements)
        {
            string name = _steps >= _batch ? "steps" : "batch";
            throw new ArgumentOutOfRangeException(name, name == "steps" ? _steps : _batch, string.Create(CultureInfo.InvariantCulture,
                $"batch {_batch} x steps {_steps} needs a working buffer of {length:N0} elements of {elementBytes} bytes, more than one array can hold ({ModelSupport.MaxElements:N0}); use a smaller batch or fewer steps (or split the sequences and carry the state with Stateful)."));
        }
        if (current >= length || _pass == Pass.Measure) return null;
        return _pass == Pass.Allocate ? Array.Empty<float>() : _arrays[_next++];
    }
}

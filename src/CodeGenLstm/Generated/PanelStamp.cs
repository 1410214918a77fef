using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace CodeGenLstm.Generated;

/// <summary>
/// What a generated model's packed weight panels were packed from: the stage's weights version and the
/// vector width. Parameters is the only source of truth; the panels are a copy in the layout the
/// products read, rebuilt whenever either of the two changed. Every packing site of a generated model
/// follows the same protocol:
/// <list type="number">
/// <item>every part gets the stage's weights version from the stage's weight check (all parts the same);</item>
/// <item>each part packs its share of the panels when <see cref="IsStale"/> says so (all parts decide alike,
/// because nobody writes the stamp before step 3 has been reached by every part);</item>
/// <item>the parts meet at the team's barrier, so the panels are whole before anyone reads them;</item>
/// <item>after a barrier, part 0 alone calls <see cref="Record"/> (and records the weights version).</item>
/// </list>
/// A default stamp has recorded nothing and is stale for every version and width.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct PanelStamp
{
    private int _version;

    // The width plus one, so that the default (0) matches no width: 0 (the scalar kernels) is a real one.
    private int _widthPlusOne;

    /// <summary>Whether the panels must be packed again for weights of <paramref name="version"/> at vector width <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool IsStale(int version, int width) => _version != version || _widthPlusOne != width + 1;

    /// <summary>Records that the panels now hold the weights of <paramref name="version"/>, packed for <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(int version, int width)
    {
        _version = version;
        _widthPlusOne = width + 1;
    }
}

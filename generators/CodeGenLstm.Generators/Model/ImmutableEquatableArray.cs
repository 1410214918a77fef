using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace CodeGenLstm.Generators.Model;

/// <summary>
/// An immutable array with structural equality, so that records holding it compare by content and
/// the incremental pipeline can tell an unchanged model from a changed one (after System.Text.Json's
/// generator, src/libraries/Common/src/SourceGenerators/ImmutableEquatableArray.cs).
/// </summary>
internal sealed class ImmutableEquatableArray<T> : IEquatable<ImmutableEquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    public static ImmutableEquatableArray<T> Empty { get; } = new(Array.Empty<T>());

    private readonly T[] _values;

    public ImmutableEquatableArray(IEnumerable<T> values) => _values = values.ToArray();

    public T this[int index] => _values[index];
    public int Count => _values.Length;

    public bool Equals(ImmutableEquatableArray<T>? other) =>
        other is not null && ((ReadOnlySpan<T>)_values).SequenceEqual(other._values);

    public override bool Equals(object? obj) => obj is ImmutableEquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (T value in _values)
            hash = unchecked(hash * 31 + (value is null ? 0 : value.GetHashCode()));
        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_values).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();
}

internal static class ImmutableEquatableArray
{
    public static ImmutableEquatableArray<T> ToImmutableEquatableArray<T>(this IEnumerable<T> values)
        where T : IEquatable<T> => new(values);
}

using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace CodeGenLstm.Generated;

/// <summary>A parameter tensor of a generated model: its PyTorch name, shape, and offset in Parameters.</summary>
/// <param name="Name">The state_dict name, such as "lstm.weight_ih_l0".</param>
/// <param name="Shape">The shape, row-major.</param>
/// <param name="Offset">Where its first element is in the model's flat Parameters.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record TensorSlot(string Name, int[] Shape, int Offset)
{
    /// <summary>Number of elements: the product of the shape.</summary>
    public int Length
    {
        get
        {
            int n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>The shape as PyTorch prints it: [512, 64].</summary>
    public string ShapeText => global::CodeGenLstm.ShapeText.Format<int>(Shape);
}

/// <summary>What a generated model's Backward may do now, after the calls so far; each state but Ready has its own message.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum BackwardReadiness
{
    /// <summary>No Forward has run on this model.</summary>
    NoForward,

    /// <summary>The last Forward was an inference call (training: false), which keeps nothing for Backward.</summary>
    AfterInference,

    /// <summary>The last Forward stopped with an exception.</summary>
    ForwardInterrupted,

    /// <summary>The last Forward was a training call and no Backward has run for it.</summary>
    Ready,

    /// <summary>Backward already ran for the last training Forward.</summary>
    Done,
}

/// <summary>
/// Argument checks and bookkeeping that every generated model shares and that do not depend on its
/// sizes. Generated code calls these; they are public only so that it can.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModelSupport
{
    /// <summary>The largest number of floats one buffer may hold.</summary>
    public const long MaxElements = 0x7FFFFFC7; // Array.MaxLength

    /// <summary>Checks batch, steps and lengths: batch and steps at least 1, lengths empty or one per sequence in 1..steps.</summary>
    public static void CheckBatchAndSteps(int batch, int steps, ReadOnlySpan<int> lengths)
    {
        if (batch < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be at least 1.");
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        if (lengths.IsEmpty) return;
        if (lengths.Length != batch)
            throw new ArgumentException($"lengths has {lengths.Length} entries; expected one per sequence (batch = {batch}), or none.", nameof(lengths));
        for (int b = 0; b < lengths.Length; b++)
        {
            if (lengths[b] < 1 || lengths[b] > steps)
                throw new ArgumentException($"lengths[{b}] is {lengths[b]}; a length is in 1..steps (steps = {steps}).", nameof(lengths));
        }
    }

    /// <summary>Checks that a span has the expected number of elements, naming the argument and the shape expected.</summary>
    public static void CheckLength(string argument, int actual, long expected, string shape)
    {
        if (expected > MaxElements)
            throw new ArgumentException($"{argument} would need {expected} elements ({shape}), more than one buffer can hold; use a smaller batch or fewer steps.", argument);
        if (actual != expected)
            throw new ArgumentException($"{argument} has {actual} elements; expected {shape} = {expected}.", argument);
    }

    /// <summary>Checks a span that may be empty (not wanted) or else must have the expected length.</summary>
    public static void CheckOptionalLength(string argument, int actual, long expected, string shape)
    {
        if (actual != 0) CheckLength(argument, actual, expected, shape);
    }

    /// <summary>The exception Backward throws when it cannot run: which case it is, and what to do.</summary>
    public static InvalidOperationException BackwardNotReady(BackwardReadiness state) => new(state switch
    {
        BackwardReadiness.NoForward =>
            "Backward needs a Forward with training: true before it, and this model has not run Forward yet. Call Forward(..., training: true), then Backward.",
        BackwardReadiness.AfterInference =>
            "Backward needs a Forward with training: true before it, but the last Forward was an inference call (training: false), which keeps nothing for Backward. Pass training: true to the Forward whose gradient you want, then call Backward.",
        BackwardReadiness.ForwardInterrupted =>
            "Backward needs a Forward with training: true before it, but the last Forward stopped with an exception. Call Forward(..., training: true) again, then Backward.",
        BackwardReadiness.Done =>
            "Backward already ran for the last Forward: it runs once per training Forward (Gradients already hold that gradient; Backward adds to them). Call Forward(..., training: true) again before the next Backward.",
        _ => $"Backward cannot run now ({state}).",
    });

    /// <summary>Writes each sequence's valid length: the given lengths, or steps for every sequence.</summary>
    public static void FillLengths(Span<int> destination, ReadOnlySpan<int> lengths, int steps)
    {
        if (lengths.IsEmpty) destination.Fill(steps);
        else lengths.CopyTo(destination);
    }

    /// <summary>Checks that every token id at a valid position is in 0..vocabularySize-1 (padded positions are not read).</summary>
    public static void CheckTokens(ReadOnlySpan<int> tokens, ReadOnlySpan<int> lengths, int batch, int steps, int vocabularySize)
    {
        for (int b = 0; b < batch; b++)
        {
            int length = lengths.IsEmpty ? steps : lengths[b];
            for (int t = 0; t < length; t++)
            {
                int token = tokens[b * steps + t];
                if ((uint)token >= (uint)vocabularySize)
                    throw new ArgumentException($"tokens[{b * steps + t}] (sequence {b}, step {t}) is {token}; a token id is in 0..{vocabularySize - 1}.", nameof(tokens));
            }
        }
    }

    /// <summary>
    /// Checks and reads the tensors of a model's ImportParameters: every name once, every shape exact,
    /// nothing extra; nothing is written unless all are right.
    /// </summary>
    public static void ImportParameters(IEnumerable<NamedTensor> tensors, TensorSlot[] slots, Span<float> parameters) =>
        ImportParameters(tensors, "", slots, parameters);

    /// <summary>
    /// As <see cref="ImportParameters(IEnumerable{NamedTensor}, TensorSlot[], Span{float})"/>, after removing
    /// <paramref name="prefix"/> from the start of every name ("" removes nothing); a name without the prefix
    /// is an error. A name the model does not have gets a hint in the message: the prefix it carries, or the
    /// closest expected name.
    /// </summary>
    public static void ImportParameters(IEnumerable<NamedTensor> tensors, string prefix, TensorSlot[] slots, Span<float> parameters)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(prefix);
        var byName = new Dictionary<string, TensorSlot>(slots.Length, StringComparer.Ordinal);
        foreach (TensorSlot slot in slots) byName.Add(slot.Name, slot);

        // Every tensor is read once, into this list, and checked before anything is written; the list also
        // lets a message about one name look at the others (do they all carry the same prefix?).
        var all = new List<NamedTensor?>(tensors);
        var seen = new Dictionary<string, NamedTensor>(slots.Length, StringComparer.Ordinal);
        foreach (NamedTensor? tensor in all)
        {
            if (tensor is null)
                throw new ArgumentException("tensors contains null.", nameof(tensors));
            string? given = tensor.Name;
            if (given is not null && !given.StartsWith(prefix, StringComparison.Ordinal))
                throw new ArgumentException($"Tensor '{given}' does not start with the prefix '{prefix}'; when a prefix is given, every name must carry it.", nameof(tensors));
            string? name = given?[prefix.Length..];
            if (name is null || !byName.TryGetValue(name, out TensorSlot? slot))
                throw new ArgumentException(Unknown(given, name, prefix, all, byName, slots), nameof(tensors));
            if (seen.ContainsKey(name))
                throw new ArgumentException($"Tensor '{given}' appears twice.", nameof(tensors));
            if (tensor.Shape is null || !tensor.Shape.AsSpan().SequenceEqual(slot.Shape))
                throw new ArgumentException($"Tensor '{given}' has shape {(tensor.Shape is null ? "null" : global::CodeGenLstm.ShapeText.Format<int>(tensor.Shape))}; expected {slot.ShapeText}.", nameof(tensors));
            if (tensor.Data is null || tensor.Data.Length != slot.Length)
                throw new ArgumentException($"Tensor '{given}' has {tensor.Data?.Length ?? 0} values; its shape {slot.ShapeText} needs {slot.Length}.", nameof(tensors));
            seen.Add(name, tensor);
        }
        foreach (TensorSlot slot in slots)
        {
            if (!seen.ContainsKey(slot.Name))
                throw new ArgumentException($"Tensor '{prefix}{slot.Name}' {slot.ShapeText} is missing.", nameof(tensors));
        }
        foreach (TensorSlot slot in slots)
            seen[slot.Name].Data.CopyTo(parameters.Slice(slot.Offset, slot.Length));
    }

    /// <summary>
    /// The message for a tensor name the model does not have (<paramref name="name"/>: after the given prefix
    /// was removed), with the likeliest fix: the prefix the name carries in front of an expected name, or
    /// the closest expected name when it is close.
    /// </summary>
    private static string Unknown(string? given, string? name, string prefix, List<NamedTensor?> all, Dictionary<string, TensorSlot> byName, TensorSlot[] slots)
    {
        string text = $"Tensor '{given}' is not a parameter of this model";
        if (name is null) return $"{text}; expected {Names(slots)}.";

        // "model.lstm.weight_ih_l0": an expected name after a prefix, as a state_dict saved from a wrapping
        // module has it. The longest expected name that ends the name leaves the shortest prefix.
        string? expected = null;
        foreach (string candidate in byName.Keys)
        {
            if (candidate.Length < name.Length && name.EndsWith(candidate, StringComparison.Ordinal) &&
                (expected is null || candidate.Length > expected.Length))
                expected = candidate;
        }
        if (expected is not null)
        {
            string extra = name[..^expected.Length], full = prefix + extra;
            bool allCarryIt = all.TrueForAll(t => t?.Name is { } n && n.StartsWith(full, StringComparison.Ordinal) && byName.ContainsKey(n[full.Length..]));
            return allCarryIt
                ? $"{text}, but '{expected}' is; the names carry the prefix '{full}': strip it, or call ImportParameters(tensors, prefix: \"{full}\")."
                : $"{text}: it is '{expected}' with the prefix '{full}' in front; strip it.";
        }

        // "lstm.weight_ih_10", "lstm.weight_hh_l0_rev", "LSTM.bias_hh_l0": the closest expected name by edit
        // distance, ignoring case, when the distance is at most a quarter of its length (and at least 2 edits
        // are allowed); on a tie, the one that shares the longest start with the name ("_rev" is nearer
        // "_reverse" than nothing).
        string? closest = null;
        int best = int.MaxValue, bestShared = -1;
        foreach (TensorSlot slot in slots)
        {
            int distance = EditDistance(name.ToLowerInvariant(), slot.Name.ToLowerInvariant());
            if (distance > Math.Max(2, slot.Name.Length / 4)) continue;
            int shared = 0;
            while (shared < name.Length && shared < slot.Name.Length && name[shared] == slot.Name[shared]) shared++;
            if (distance < best || (distance == best && shared > bestShared))
            {
                closest = slot.Name;
                best = distance;
                bestShared = shared;
            }
        }
        return closest is not null
            ? $"{text}; did you mean '{prefix}{closest}'? Expected {Names(slots)}."
            : $"{text}; expected {Names(slots)}.";
    }

    /// <summary>Levenshtein distance: the fewest insertions, deletions and substitutions that turn one text into the other.</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>Copies each slot of <paramref name="values"/> into a new <see cref="NamedTensor"/>.</summary>
    public static IReadOnlyList<NamedTensor> Export(ReadOnlySpan<float> values, TensorSlot[] slots)
    {
        var result = new NamedTensor[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            TensorSlot slot = slots[i];
            result[i] = new NamedTensor(slot.Name, (int[])slot.Shape.Clone(), values.Slice(slot.Offset, slot.Length).ToArray());
        }
        return result;
    }

    private static string Names(TensorSlot[] slots)
    {
        const int shown = 8;
        string names = string.Join(", ", Array.ConvertAll(slots.Length > shown ? slots[..shown] : slots, s => s.Name));
        return slots.Length > shown ? $"one of {names} and {slots.Length - shown} more" : $"one of {names}";
    }

    /// <summary>Grows an array to at least <paramref name="length"/> elements; contents are not kept.</summary>
    public static void Ensure(ref float[] buffer, long length)
    {
        if (length > MaxElements)
            throw new ArgumentException($"A working buffer would need {length} floats, more than one array can hold; use a smaller batch or fewer steps.");
        if (buffer.Length < length) buffer = new float[length];
    }

    /// <summary>Grows an int array to at least <paramref name="length"/> elements; contents are not kept.</summary>
    public static void Ensure(ref int[] buffer, long length)
    {
        if (length > MaxElements)
            throw new ArgumentException($"A working buffer would need {length} ints, more than one array can hold.");
        if (buffer.Length < length) buffer = new int[length];
    }
}

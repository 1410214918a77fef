using System;
using System.Collections.Generic;
using CodeGenLstm;

namespace LongRange;

/// <summary>
/// The adding problem (Hochreiter and Schmidhuber 1997): each step carries a random number in [0, 1)
/// and a marker; the answer, read at the last step, is the sum of the two marked numbers. The first
/// mark is in the first half, the second in the second half, so the first number must be carried over
/// at least T/2 steps, often nearly T. Always answering 1 scores MSE 0.1767 (Le et al. 2015); a sequence
/// counts as solved when the answer is within 0.04 of the sum (the 1997 paper's criterion).
/// </summary>
internal static class AddingProblem
{
    public const float Tolerance = 0.04f;

    public static void Fill(Rng random, float[] input, float[] target, int batch, int steps)
    {
        for (int b = 0; b < batch; b++)
        {
            int first = random.NextInt(Math.Max(1, steps / 2)), second = steps / 2 + random.NextInt(steps - steps / 2);
            float sum = 0;
            for (int t = 0; t < steps; t++)
            {
                float value = random.NextFloat();
                float mark = t == first || t == second ? 1f : 0f;
                input[(b * steps + t) * 2] = value;
                input[(b * steps + t) * 2 + 1] = mark;
                sum += value * mark;
            }
            target[b] = sum;
        }
    }
}

/// <summary>
/// Subject-verb agreement (Linzen, Dupoux and Goldberg 2016), from a small grammar: "the writer of the
/// old books near the tables ..." and the model says whether the verb is "is" or "are". The subject is
/// the second word; the distance is the number of words between it and the verb, filled with
/// prepositional phrases whose nouns (the attractors) are singular or plural at random, so the nearest
/// noun is no guide. Chance is 50%.
/// </summary>
internal static class Agreement
{
    private static readonly string[] Singular = ["writer", "book", "key", "cabinet", "author", "table", "man", "woman", "child", "dog", "house", "letter", "teacher", "student"];
    private static readonly string[] Plural = ["writers", "books", "keys", "cabinets", "authors", "tables", "men", "women", "children", "dogs", "houses", "letters", "teachers", "students"];
    private static readonly string[] Prepositions = ["of", "near", "behind", "beside", "with", "from", "under", "on"];
    private static readonly string[] Adjectives = ["old", "new", "small", "red", "famous", "quiet"];
    private const string Adverb = "surely";

    /// <summary>Id 0 is padding; then "the", the adverb, nouns, prepositions, adjectives.</summary>
    public static readonly string[] Vocabulary = BuildVocabulary();
    private static readonly Dictionary<string, int> Ids = BuildIds();

    /// <summary>The longest distance the grammar is asked for, and so the longest sentence: 2 + MaxDistance words.</summary>
    public const int MaxDistance = 60;

    private static string[] BuildVocabulary()
    {
        var words = new List<string> { "<pad>", "the", Adverb };
        words.AddRange(Singular);
        words.AddRange(Plural);
        words.AddRange(Prepositions);
        words.AddRange(Adjectives);
        return words.ToArray();
    }

    private static Dictionary<string, int> BuildIds()
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Vocabulary.Length; i++) ids[Vocabulary[i]] = i;
        return ids;
    }

    /// <summary>True for a distance the grammar can fill exactly: 0, 1 (the adverb), or 3 and more.</summary>
    public static bool CanFill(int distance) => distance is 0 or 1 || distance >= 3;

    /// <summary>
    /// Writes one sentence prefix (the words before the verb) with the given distance into
    /// <paramref name="tokens"/>; returns its length (2 + distance). Label: 0 for "is", 1 for "are".
    /// </summary>
    public static int Sentence(Rng random, int distance, Span<int> tokens, out int label, List<string>? words = null)
    {
        if (!CanFill(distance)) throw new ArgumentOutOfRangeException(nameof(distance));
        var sentence = new List<string>(distance + 2);
        void Add(string word) => sentence.Add(word);
        label = random.NextInt(2);
        Add("the");
        Add(Noun(random, label));
        int remaining = distance;
        if (remaining == 1)
        {
            Add(Adverb);
            remaining = 0;
        }
        while (remaining > 0)
        {
            // A phrase of 3 words ("of the books") or more ("of the old red books"); never leave 1 or 2 over.
            int length = remaining <= 6 ? remaining : 3 + random.NextInt(2);
            if (remaining - length is 1 or 2) length = 3;
            Add(Prepositions[random.NextInt(Prepositions.Length)]);
            Add("the");
            for (int a = 0; a < length - 3; a++) Add(Adjectives[random.NextInt(Adjectives.Length)]);
            Add(Noun(random, random.NextInt(2)));
            remaining -= length;
        }
        for (int i = 0; i < sentence.Count; i++) tokens[i] = Ids[sentence[i]];
        words?.AddRange(sentence);
        return sentence.Count;
    }

    private static string Noun(Rng random, int plural)
    {
        int i = random.NextInt(Singular.Length);
        return plural == 1 ? Plural[i] : Singular[i];
    }

    /// <summary>A random distance in [0, maxDistance] that the grammar can fill.</summary>
    public static int RandomDistance(Rng random, int maxDistance)
    {
        while (true)
        {
            int d = random.NextInt(maxDistance + 1);
            if (CanFill(d)) return d;
        }
    }
}

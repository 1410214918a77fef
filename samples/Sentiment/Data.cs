using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CodeGenLstm;

namespace Sentiment;

/// <summary>A sentence and its label: 1 positive, 0 negative.</summary>
internal sealed record Review(string Text, int Label, string Source);

internal static class Reviews
{
    /// <summary>
    /// Reads "sentence TAB label" lines from a file, or from every *.txt file of a folder that has them
    /// (the UCI "Sentiment Labelled Sentences": imdb, amazon_cells and yelp, 1,000 each).
    /// </summary>
    public static List<Review> Read(string path)
    {
        string[] files = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.txt").Where(f => !Path.GetFileName(f).Equals("readme.txt", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray()
            : [path];
        var reviews = new List<Review>();
        foreach (string file in files)
        {
            string source = Path.GetFileNameWithoutExtension(file).Replace("_labelled", "", StringComparison.Ordinal);
            foreach (string line in File.ReadLines(file))
            {
                int tab = line.LastIndexOf('\t');
                if (tab < 0 || !int.TryParse(line.AsSpan(tab + 1).Trim(), out int label) || label is not (0 or 1))
                    continue;
                reviews.Add(new Review(line[..tab].Trim(), label, source));
            }
        }
        if (reviews.Count == 0)
            throw new InvalidDataException($"No 'sentence<TAB>0 or 1' lines found in {path}.");
        return reviews;
    }

    private static readonly string[] Nouns = ["food", "service", "phone", "movie", "battery", "staff", "place", "sound", "plot", "price"];
    private static readonly string[] Good = ["good", "great", "excellent", "delicious", "friendly", "amazing", "fine", "perfect"];
    private static readonly string[] Bad = ["bad", "terrible", "awful", "bland", "rude", "disappointing", "poor", "boring"];

    /// <summary>
    /// The default data, generated in code: short reviews with negation ("the food was not good") and
    /// contrast ("the food was bland but the staff was friendly": the clause after "but" decides).
    /// </summary>
    public static List<Review> Generate(int count, int seed = 1)
    {
        var random = new Rng(seed);
        var reviews = new List<Review>(count);
        string Adjective(int positive) => positive == 1 ? Good[random.NextInt(Good.Length)] : Bad[random.NextInt(Bad.Length)];
        string Noun() => Nouns[random.NextInt(Nouns.Length)];
        for (int i = 0; i < count; i++)
        {
            int polarity = random.NextInt(2), negated = random.NextInt(3) == 0 ? 1 : 0, label = polarity ^ negated;
            string clause = $"the {Noun()} was {(negated == 1 ? "not " : "")}{Adjective(polarity)}";
            string text = random.NextInt(3) switch
            {
                0 => clause,
                1 => $"the {Noun()} was {Adjective(1 - label)} but {clause}",
                _ => $"{clause} and i would {(label == 1 ? "" : "not ")}come back",
            };
            reviews.Add(new Review(text, label, "generated"));
        }
        return reviews;
    }
}

/// <summary>Lower-case words (letters and apostrophes) to ids: 0 padding, 1 unknown, then by frequency.</summary>
internal sealed class Vocabulary
{
    public const int Padding = 0, Unknown = 1;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public Vocabulary(IEnumerable<string> texts, int capacity, int minCount)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string text in texts)
            foreach (string word in Words(text))
                counts[word] = counts.GetValueOrDefault(word) + 1;
        Distinct = counts.Count;
        foreach (var (word, _) in counts.Where(p => p.Value >= minCount)
                                        .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                                        .Take(capacity - 2))
            _ids[word] = _ids.Count + 2;
    }

    /// <summary>Ids in use, the two special ones included.</summary>
    public int Count => _ids.Count + 2;

    /// <summary>Distinct words in the texts the vocabulary was built from.</summary>
    public int Distinct { get; }

    public static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (char ch in text.ToLowerInvariant() + " ")
        {
            if (char.IsLetter(ch) || ch == '\'') word.Append(ch);
            else if (word.Length > 0)
            {
                yield return word.ToString().Trim('\'');
                word.Clear();
            }
        }
    }

    public int[] Encode(string text, int maxLength)
    {
        int[] ids = Words(text).Where(w => w.Length > 0).Select(w => _ids.GetValueOrDefault(w, Unknown)).Take(maxLength).ToArray();
        return ids.Length > 0 ? ids : [Unknown];
    }
}

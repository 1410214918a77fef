using System;
using System.Text;
using CodeGenLstm;

namespace CharLm;

/// <summary>Characters to ids and back: printable ASCII (32-126) and the newline; anything else becomes '?'.</summary>
internal static class Characters
{
    public const int Count = 96;
    private const int NewLine = 95;

    public static int Id(char c) => c == '\n' ? NewLine : c >= ' ' && c <= '~' ? c - ' ' : '?' - ' ';

    public static char Char(int id) => id == NewLine ? '\n' : (char)(' ' + id);

    public static int[] Encode(string text, out int replaced)
    {
        var ids = new int[text.Length];
        replaced = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r') c = '\n';
            if (c != '\n' && (c < ' ' || c > '~')) replaced++;
            ids[i] = Id(c);
        }
        return ids;
    }
}

/// <summary>
/// The default corpus, generated in code so that the sample runs anywhere: dialogue in the layout of
/// tinyshakespeare (a speaker's name in capitals, a colon, lines of verse, a blank line) from a small
/// grammar. It has far less to learn than Shakespeare: a good model gets well below 1 nat per character.
/// </summary>
internal static class GeneratedCorpus
{
    private static readonly string[] Speakers = ["KING HENRY", "QUEEN MARGARET", "GLOUCESTER", "ROMEO", "JULIET", "NURSE", "FIRST CITIZEN", "MENENIUS"];
    private static readonly string[] Subjects = ["the king", "my lord", "thy father", "the queen", "this night", "our cause", "the people", "my heart", "your grace", "the crown"];
    private static readonly string[] Verbs = ["doth love", "shall see", "hath made", "will keep", "must fear", "did swear", "would give", "cannot bear"];
    private static readonly string[] Objects = ["the world", "thy name", "a crown of gold", "the bitter end", "his sword", "her gentle hand", "the common good", "no more of this"];
    private static readonly string[] Tails = [".", ",", "!", "?", ";", ", and yet", ", for"];
    private static readonly string[] Openings = ["", "O, ", "Nay, ", "Ay, ", "Why, ", "Good ", "Come, "];

    public static string Create(int characters, int seed = 1)
    {
        var random = new Rng(seed);
        var text = new StringBuilder(characters + 200);
        while (text.Length < characters)
        {
            text.Append(Speakers[random.NextInt(Speakers.Length)]).Append(":\n");
            int lines = 1 + random.NextInt(4);
            for (int l = 0; l < lines; l++)
            {
                string opening = Openings[random.NextInt(Openings.Length)];
                string line = opening + Subjects[random.NextInt(Subjects.Length)] + " " + Verbs[random.NextInt(Verbs.Length)] + " "
                              + Objects[random.NextInt(Objects.Length)] + Tails[random.NextInt(Tails.Length)];
                text.Append(char.ToUpperInvariant(line[0])).Append(line, 1, line.Length - 1).Append('\n');
            }
            text.Append('\n');
        }
        return text.ToString(0, characters);
    }
}

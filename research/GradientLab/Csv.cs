using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace GradientLab;

/// <summary>Comma-separated values with a header; fields are quoted only when they need it.</summary>
public static class Csv
{
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var text = new StringBuilder();
        text.Append(string.Join(",", header.Select(Quote))).Append('\n');
        foreach (string[] row in rows)
            text.Append(string.Join(",", row.Select(Quote))).Append('\n');
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    public static List<Dictionary<string, string>> Read(string path)
    {
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new InvalidDataException($"{path} is empty.");
        List<string> header = Split(lines[0]);
        var rows = new List<Dictionary<string, string>>();
        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            List<string> fields = Split(line);
            if (fields.Count != header.Count) throw new InvalidDataException($"{path}: a row has {fields.Count} fields, the header {header.Count}.");
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
        }
        return rows;
    }

    private static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}

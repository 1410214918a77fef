using System;
using System.Text;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// Builds indented C# text with "\n" line endings on every platform, so generated files are
/// byte-identical wherever they are generated (after System.Text.Json's SourceWriter).
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public int Indentation => _indent;

    /// <summary>Writes each line of <paramref name="lines"/> at the current indentation; blank lines stay blank.</summary>
    public SourceWriter Line(string lines = "")
    {
        foreach (string line in lines.Split('\n'))
        {
            string trimmed = line.TrimEnd('\r', ' ');
            if (trimmed.Length > 0) _text.Append(' ', _indent * 4).Append(trimmed);
            _text.Append('\n');
        }
        return this;
    }

    /// <summary>Writes "{" then indents.</summary>
    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Unindents then writes "}" (with an optional suffix such as ";").</summary>
    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
        return this;
    }

    /// <summary>Runs <paramref name="write"/> with the indentation raised by <paramref name="levels"/>.</summary>
    public void Indented(int levels, Action write)
    {
        _indent += levels;
        try { write(); }
        finally { _indent -= levels; }
    }

    /// <summary>Writes a block and returns a handle whose Dispose closes it.</summary>
    public Block Block(string header)
    {
        Open(header);
        return new Block(this);
    }

    public override string ToString() => _text.ToString();
}

internal readonly struct Block : IDisposable
{
    private readonly SourceWriter _writer;
    public Block(SourceWriter writer) => _writer = writer;
    public void Dispose() => _writer.Close();
}

using System;
using System.IO;
using Spectre.Console;

namespace CodeGenLstm.Samples;

/// <summary>Tables: rounded on a terminal, Markdown in a log (readable, and pastes into a document).</summary>
public static class SampleTables
{
    /// <summary>A table with these column headers, the first left-aligned, the others right-aligned.</summary>
    public static Table Create(params string[] headers)
    {
        var table = new Table { Border = SampleConsole.Interactive ? TableBorder.Rounded : TableBorder.Markdown };
        for (int i = 0; i < headers.Length; i++)
        {
            var column = new TableColumn(Markup.Escape(headers[i]));
            if (i > 0) column.RightAligned();
            table.AddColumn(column);
        }
        return table;
    }

    /// <summary>
    /// Writes <paramref name="table"/>. In a log, Spectre's Markdown border draws its top and bottom edges as lines
    /// of spaces: the top one becomes an empty line (which a Markdown table needs before it), the bottom one is left
    /// out (a heading follows, or the caller writes an empty line), and no line ends in spaces.
    /// </summary>
    public static void Write(Table table)
    {
        if (SampleConsole.Interactive)
        {
            SampleConsole.Out.Write(table);
            return;
        }
        using var text = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = SampleConsole.Out.Profile.Width;
        console.Write(table);
        foreach (string line in text.ToString().TrimEnd().Split('\n'))
            SampleConsole.Line(line.TrimEnd());
    }
}

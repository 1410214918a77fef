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
}

using System;
using Spectre.Console;

namespace CodeGenLstm.Samples;

/// <summary>
/// The console every sample writes to. On a terminal: Spectre.Console with colours and live progress
/// bars. Anywhere else (output redirected to a file or a pipe, CI=true, TERM=dumb, NO_COLOR): plain
/// text, no escape codes, no cursor movement, so a log reads as the terminal did.
/// </summary>
public static class SampleConsole
{
    /// <summary>True when the output is a terminal that can redraw a progress bar.</summary>
    public static bool Interactive { get; } =
        !Console.IsOutputRedirected
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal)
        && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    /// <summary>The console: ANSI on a terminal, plain text elsewhere.</summary>
    public static IAnsiConsole Out { get; } = Create();

    private static IAnsiConsole Create()
    {
        if (Interactive)
            return AnsiConsole.Console;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        // A fixed width: tables in logs look the same whatever (or wherever) the log is written.
        console.Profile.Width = 120;
        return console;
    }

    /// <summary>A heading.</summary>
    public static void Heading(string text)
    {
        Out.WriteLine();
        if (Interactive)
            Out.Write(new Rule($"[bold]{Spectre.Console.Markup.Escape(text)}[/]").LeftJustified());
        else
        {
            Out.WriteLine($"== {text} ==");
        }
    }

    /// <summary>A line of plain text (no markup is interpreted).</summary>
    public static void Line(string text = "") => Out.WriteLine(text);

    /// <summary>A line with Spectre markup on a terminal, the same text without it elsewhere.</summary>
    public static void Styled(string markup) => Out.MarkupLine(markup);
}

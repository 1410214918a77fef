using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;

namespace CodeGenLstm.Samples;

/// <summary>
/// The samples' command line: an optional command first (GradientLab's <c>run</c>, <c>analyze</c>), flags
/// (<c>--quick</c>) and options with a value (<c>--data PATH</c>, <c>--minutes 5</c>). <c>-h</c> or <c>--help</c>
/// anywhere prints the usage and exits 0; an unknown argument, an option without its value or a value that is
/// not a number where one is expected prints what is wrong and the usage on stderr and exits 2.
/// </summary>
public sealed class SampleArgs
{
    /// <summary>The exit code of a command-line mistake.</summary>
    public const int UsageError = 2;

    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly string _usage;

    private SampleArgs(string usage) => _usage = usage;

    /// <summary>The command, when <see cref="Parse"/> was given commands; else null.</summary>
    public string? Command { get; private set; }

    /// <summary>
    /// Parses <paramref name="args"/>; <paramref name="flags"/> take no value, <paramref name="options"/> take one.
    /// With <paramref name="commands"/>, the first argument must be one of them (without arguments: the usage, exit 2).
    /// </summary>
    public static SampleArgs Parse(string[] args, string usage, string[] flags, string[] options, string[]? commands = null)
    {
        var result = new SampleArgs(usage);
        if (Array.Exists(args, a => a is "-h" or "--help"))
        {
            Console.WriteLine(usage);
            Environment.Exit(0);
        }
        int first = 0;
        if (commands is not null)
        {
            if (args.Length == 0)
                result.Fail("No command given.");
            if (Array.IndexOf(commands, args[0]) < 0)
                result.Fail($"Unknown command '{args[0]}': expected {string.Join(", ", commands)}.");
            result.Command = args[0];
            first = 1;
        }
        for (int i = first; i < args.Length; i++)
        {
            string arg = args[i];
            if (Array.IndexOf(flags, arg) >= 0)
                result._values[arg] = null;
            else if (Array.IndexOf(options, arg) >= 0)
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    result.Fail($"Option '{arg}' needs a value.");
                result._values[arg] = args[++i];
            }
            else
                result.Fail($"Unknown argument '{arg}'.");
        }
        return result;
    }

    /// <summary>Prints <paramref name="message"/> (and the usage unless <paramref name="showUsage"/> is false) on stderr and exits with <see cref="UsageError"/>.</summary>
    [DoesNotReturn]
    public void Fail(string message, bool showUsage = true)
    {
        Console.Error.WriteLine(message);
        if (showUsage)
            Console.Error.WriteLine(_usage);
        Environment.Exit(UsageError);
    }

    /// <summary>The option's value as the path of an existing file or folder, or null when not given; a path that does not exist is an error.</summary>
    public string? GetExistingPath(string option)
    {
        if (Get(option) is not { } path)
            return null;
        if (!File.Exists(path) && !Directory.Exists(path))
            Fail($"{option}: no file or folder at '{path}' (from {Environment.CurrentDirectory}). The data sets are in ../shared/data beside the repository.", showUsage: false);
        return path;
    }

    /// <summary>True when the flag was given.</summary>
    public bool Has(string flag) => _values.ContainsKey(flag);

    /// <summary>The option's value, or <paramref name="fallback"/>.</summary>
    [return: NotNullIfNotNull(nameof(fallback))]
    public string? Get(string option, string? fallback = null) =>
        _values.TryGetValue(option, out string? value) && value is not null ? value : fallback;

    /// <summary>The option's value as a number of at least <paramref name="min"/>, or <paramref name="fallback"/>.</summary>
    public double GetNumber(string option, double fallback, double min = double.MinValue)
    {
        if (Get(option) is not { } text)
            return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            Fail($"{option} takes a number, not '{text}'.");
        if (value < min)
            Fail($"{option} must be at least {min.ToString(CultureInfo.InvariantCulture)}, not {text}.");
        return value;
    }

    /// <summary>The option's value as a whole number of at least <paramref name="min"/>, or <paramref name="fallback"/>.</summary>
    public int GetInt(string option, int fallback, int min = int.MinValue)
    {
        if (Get(option) is not { } text)
            return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            Fail($"{option} takes a whole number, not '{text}'.");
        if (value < min)
            Fail($"{option} must be at least {min.ToString(CultureInfo.InvariantCulture)}, not {text}.");
        return value;
    }

    /// <summary>As <see cref="GetInt"/>, for counts that may exceed an int (CharLm's --steps).</summary>
    public long GetLong(string option, long fallback, long min = long.MinValue)
    {
        if (Get(option) is not { } text)
            return fallback;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            Fail($"{option} takes a whole number, not '{text}'.");
        if (value < min)
            Fail($"{option} must be at least {min.ToString(CultureInfo.InvariantCulture)}, not {text}.");
        return value;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;

namespace CodeGenLstm.Samples;

/// <summary>
/// The samples' command line: flags (<c>--quick</c>) and options with a value (<c>--data PATH</c>,
/// <c>--minutes 5</c>). An unknown argument is an error, with the usage printed.
/// </summary>
public sealed class SampleArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private SampleArgs() { }

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> take no value, <paramref name="options"/> take one.</summary>
    public static SampleArgs Parse(string[] args, string usage, string[] flags, string[] options)
    {
        var result = new SampleArgs();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help")
            {
                Console.WriteLine(usage);
                Environment.Exit(0);
            }
            if (Array.IndexOf(flags, arg) >= 0)
                result._values[arg] = null;
            else if (Array.IndexOf(options, arg) >= 0 && i + 1 < args.Length)
                result._values[arg] = args[++i];
            else
            {
                Console.Error.WriteLine($"Unknown or incomplete argument '{arg}'.");
                Console.Error.WriteLine(usage);
                Environment.Exit(2);
            }
        }
        return result;
    }

    /// <summary>True when the flag was given.</summary>
    public bool Has(string flag) => _values.ContainsKey(flag);

    /// <summary>The option's value, or <paramref name="fallback"/>.</summary>
    public string? Get(string option, string? fallback = null) =>
        _values.TryGetValue(option, out string? value) && value is not null ? value : fallback;

    /// <summary>The option's value as a number, or <paramref name="fallback"/>.</summary>
    public double GetNumber(string option, double fallback) =>
        Get(option) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}

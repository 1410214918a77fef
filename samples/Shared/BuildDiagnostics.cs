using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace CodeGenLstm.Samples;

/// <summary>One diagnostic the compiler reported when the sample was built.</summary>
public sealed record BuildDiagnostic(string Id, string Level, string Message, string File, int Line);

/// <summary>
/// What the build said: the samples' projects ask the compiler for a SARIF log of every diagnostic
/// (the analyzers' included) and copy it beside the program as build-diagnostics.sarif, so a sample can
/// show the warnings that a developer saw in the IDE or the build output.
/// </summary>
public static class BuildDiagnostics
{
    /// <summary>The log's file name beside the program.</summary>
    public const string FileName = "build-diagnostics.sarif";

    /// <summary>The diagnostics whose id starts with <paramref name="prefix"/>, or null when there is no log.</summary>
    public static IReadOnlyList<BuildDiagnostic>? Read(string prefix)
    {
        string path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
            return null;
        var found = new List<BuildDiagnostic>();
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (JsonElement run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out JsonElement results))
                continue;
            foreach (JsonElement result in results.EnumerateArray())
            {
                string id = result.TryGetProperty("ruleId", out JsonElement rule) ? rule.GetString() ?? "" : "";
                if (!id.StartsWith(prefix, StringComparison.Ordinal))
                    continue;
                if (result.TryGetProperty("suppressions", out JsonElement suppressions) && suppressions.GetArrayLength() > 0)
                    continue;
                string level = result.TryGetProperty("level", out JsonElement l) ? l.GetString() ?? "warning" : "warning";
                string message = result.TryGetProperty("message", out JsonElement m) && m.TryGetProperty("text", out JsonElement t)
                    ? t.GetString() ?? "" : "";
                string file = "";
                int line = 0;
                if (result.TryGetProperty("locations", out JsonElement locations) && locations.GetArrayLength() > 0
                    && locations[0].TryGetProperty("physicalLocation", out JsonElement physical))
                {
                    if (physical.TryGetProperty("artifactLocation", out JsonElement artifact)
                        && artifact.TryGetProperty("uri", out JsonElement uri))
                        file = Path.GetFileName(Uri.UnescapeDataString(uri.GetString() ?? ""));
                    if (physical.TryGetProperty("region", out JsonElement region)
                        && region.TryGetProperty("startLine", out JsonElement startLine))
                        line = startLine.GetInt32();
                }
                found.Add(new BuildDiagnostic(id, level, message, file, line));
            }
        }
        found.Sort((a, b) => (a.File, a.Line, a.Id).CompareTo((b.File, b.Line, b.Id)));
        return found;
    }
}

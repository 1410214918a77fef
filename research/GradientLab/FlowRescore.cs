using System;
using System.Collections.Generic;
using System.Linq;

namespace GradientLab;

/// <summary>
/// The rules as they are now, on the committed units: each unit's declaration (with its T) goes through the
/// analyzers again, without training; the measurement and the label stay those of the CSV.
/// </summary>
public static class FlowRescore
{
    public static List<FlowUnit> WithCurrentRules(IReadOnlyList<FlowUnit> units)
    {
        string Key(FlowUnit u) => $"{u.Sampler}_{FlowConfig.UnitClassName(u.Config, u.Steps)}";
        var declarations = units.GroupBy(Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Config.Declaration(g.Key, g.First().Steps), StringComparer.Ordinal);
        Dictionary<string, List<LabDiagnostic>> now = ModelCompiler.Analyze(declarations);
        return units.Select(u => u with { DiagnosticsAtRunTime = u.Diagnostics, Diagnostics = Analysis.Encode(now[Key(u)]) }).ToList();
    }
}

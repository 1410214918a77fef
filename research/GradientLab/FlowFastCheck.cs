using System;
using System.Collections.Generic;
using System.Linq;

namespace GradientLab;

/// <summary>
/// The flow fast mode's check (CI): every unit measured with finite ratios or labelled exploded, and the label rule
/// agrees with two units whose fate is known from theory, computed here rather than stated: F0001, a sigmoid RNN at
/// T = 60 (per-step factor at most gamma sigma_max = 0.25 x 1.155 = 0.29, so r &lt;= 0.29^59, far below 1e-3) must be
/// labelled vanished; F0002, an orthogonal LSTM with forget bias 3 at T = 12 (sigma(3) = 0.95 per step: r near
/// 0.95^11 = 0.57) must be labelled healthy.
/// </summary>
public static class FlowFastCheck
{
    public static List<string> Problems(IReadOnlyList<FlowConfig> configs, IReadOnlyList<FlowUnit> units)
    {
        var problems = new List<string>();
        int expected = configs.Sum(c => c.Lengths.Length);
        if (units.Count != expected) problems.Add($"{units.Count} units, expected {expected}");
        foreach (FlowUnit u in units.Where(u => u.Label != FlowLabels.Exploded && !(double.IsFinite(u.Measurement.RatioAtStart) && double.IsFinite(u.Measurement.RatioAfter))))
            problems.Add($"{u.Config.ClassName} T={u.Steps}: ratio not measured");
        void Expect(int id, string label)
        {
            foreach (FlowUnit u in units.Where(u => u.Config.Lab.Id == id))
                if (u.Label != label)
                    problems.Add($"{u.Config.ClassName} T={u.Steps}: labelled {u.Label} (r {u.Measurement.RatioAtStart:G3} -> {u.Measurement.RatioAfter:G3}), expected {label}");
        }
        Expect(1, FlowLabels.Vanished);
        Expect(2, FlowLabels.Healthy);
        if (!units.Any(u => u.Config.Embedding)) problems.Add("no Embedding unit measured");
        if (!units.Any(u => u.Config.Bidirectional)) problems.Add("no bidirectional unit measured");
        return problems;
    }
}

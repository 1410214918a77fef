using System;
using System.Collections.Generic;
using System.Linq;

namespace GradientLab;

/// <summary>
/// Round 2's prediction of "vanishes or explodes" (gradient-validation.md, "Round 2 decision"): which rules speak of
/// the gradient flow that the label measures, and, for a bidirectional model, which direction the label sees.
/// </summary>
public static class FlowPrediction
{
    /// <summary>
    /// Rules whose claim is the gradient's flow through time at initialisation, or its growth without clipping: a
    /// warning of any of them predicts a positive for a unidirectional model.
    /// </summary>
    public static readonly IReadOnlySet<string> FlowRules = new HashSet<string>(StringComparer.Ordinal)
    {
        "CGL1001", "CGL1002", "CGL1003", "CGL1004", "CGL1005", "CGL1006", "CGL1007", "CGL1008",
        "CGL1011", "CGL1012", "CGL1015", "CGL1017",
    };

    /// <summary>
    /// The rules that speak of explosion (growth through time, or unclipped steps): the only ones that count for a
    /// bidirectional model. With Readout.LastStep the read-out takes the forward state at the last step and the
    /// backward state at step 0 (PyTorch's h_n), so both ends of the top layer's profile sit at distance 0 from the
    /// loss in one direction; r = ||dL/dh_0|| / ||dL/dh_(T-1)|| (both directions in one norm) cannot fall through
    /// vanishing, only the explosion labels (non-finite, norm growth) can be reached.
    /// </summary>
    public static readonly IReadOnlySet<string> ExplosionRules = new HashSet<string>(StringComparer.Ordinal)
    {
        "CGL1005", "CGL1007", "CGL1008",
    };

    /// <summary>
    /// Left out of the flow prediction, with the reason: they speak of training, not of the flow the label measures
    /// (the rules still warn in a build).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LeftOut = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CGL1010"] = "which clipping is used: it acts on the update, not on the gradient's flow through time",
        ["CGL1013"] = "the learning rate: a training outcome; the gradient at initialisation does not depend on it",
        ["CGL1014"] = "depth: the path across layers; the label measures the top layer's path through time",
        ["CGL1016"] = "information (which facts the time rules wait for), never a prediction",
    };

    public static bool Predicted(FlowUnit unit)
    {
        IReadOnlySet<string> counted = unit.Config.Bidirectional ? ExplosionRules : FlowRules;
        return unit.Rules.Any(r => r.Warning && counted.Contains(r.Id));
    }
}

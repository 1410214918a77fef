using System;
using System.Collections.Generic;
using System.Linq;

namespace CodeGenLstm.TorchParity.Tests.Declarations;

/// <summary>The parity models and the run-time cases drawn for each.</summary>
public static class Catalogue
{
    /// <summary>The drawn models, in <see cref="SeededDraw"/>'s order.</summary>
    public static readonly Type[] Drawn =
    {
        typeof(LstmL1Uni), typeof(LstmL1Bi), typeof(LstmL2Uni), typeof(LstmL2Bi), typeof(LstmL3Uni), typeof(LstmL3Bi),
        typeof(GruL1Uni), typeof(GruL1Bi), typeof(GruL2Uni), typeof(GruL2Bi), typeof(GruL3Uni), typeof(GruL3Bi),
        typeof(RnnTanhL1Uni), typeof(RnnTanhL1Bi), typeof(RnnTanhL2Uni), typeof(RnnTanhL2Bi), typeof(RnnTanhL3Uni), typeof(RnnTanhL3Bi),
        typeof(RnnReluL1Uni), typeof(RnnReluL1Bi), typeof(RnnReluL2Uni), typeof(RnnReluL2Bi), typeof(RnnReluL3Uni), typeof(RnnReluL3Bi),
        typeof(TokenLstmEachStep), typeof(TokenLstmBiLastStep), typeof(TokenGruBiEachStep), typeof(TokenGruLastStep),
        typeof(TokenRnnReluBiLastStep), typeof(TokenRnnTanhEachStep), typeof(FloatLstmBiLastStep), typeof(FloatGruEachStep),
        typeof(MixedStack),
    };

    /// <summary>Run-time cases per model.</summary>
    public const int CasesPerModel = 6;

    private static readonly Dictionary<string, Declaration> s_byName =
        Drawn.Append(typeof(LstmWithDropout)).Select(Declaration.Of).ToDictionary(d => d.Name);

    public static Declaration Get(string name) => s_byName[name];

    /// <summary>Every (model, case) pair of the drawn models, as xunit theory rows.</summary>
    public static IEnumerable<object[]> Cases() =>
        from name in Drawn.Select(t => t.Name)
        from index in Enumerable.Range(0, CasesPerModel)
        select new object[] { name, index };

    /// <summary>
    /// What one case runs on, drawn at run time from a seed fixed per case (model position and case index):
    /// batch 1-8, steps 1-40; case 0 has equal lengths and a zero initial state, case 1 variable lengths
    /// and a random initial state, case 2 draws both choices.
    /// </summary>
    public static CaseDraw Draw(Declaration model, int index)
    {
        int position = Array.IndexOf(Drawn, model.Type);
        if (position < 0) position = Drawn.Length;
        int seed = 7919 * (position + 1) + index;
        var random = new Random(seed);
        int batch = random.Next(1, 9), steps = random.Next(1, 41);
        bool variable = index switch { 0 => false, 1 => true, _ => random.Next(2) == 0 };
        bool initialState = index switch { 0 => false, 1 => true, _ => random.Next(2) == 0 };
        int[]? lengths = variable ? Enumerable.Range(0, batch).Select(_ => random.Next(1, steps + 1)).ToArray() : null;
        return new CaseDraw(seed, batch, steps, lengths, initialState, random.Next());
    }
}

/// <summary>One case: sizes, lengths (null: all equal to steps), whether h0/c0 are random, and the seed of the data.</summary>
public sealed record CaseDraw(int Seed, int Batch, int Steps, int[]? Lengths, bool InitialState, int DataSeed)
{
    public override string ToString() =>
        $"seed {Seed}: batch {Batch}, steps {Steps}, lengths {(Lengths is null ? "equal" : "[" + string.Join(",", Lengths) + "]")}, initial state {(InitialState ? "random" : "zero")}";
}

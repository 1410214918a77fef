using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.TorchParity.Tests.Declarations;

namespace CodeGenLstm.Onnx.Tests;

/// <summary>The models every ONNX test runs: the PyTorch parity grid (every cell kind, uni/bi, 1-3 layers, Embedding, Dense) and ExtraModels.</summary>
public static class ModelGrid
{
    public static readonly Type[] Types =
    {
        typeof(LstmL1Uni), typeof(LstmL1Bi), typeof(LstmL2Uni), typeof(LstmL2Bi), typeof(LstmL3Uni), typeof(LstmL3Bi),
        typeof(GruL1Uni), typeof(GruL1Bi), typeof(GruL2Uni), typeof(GruL2Bi), typeof(GruL3Uni), typeof(GruL3Bi),
        typeof(RnnTanhL1Uni), typeof(RnnTanhL1Bi), typeof(RnnTanhL2Uni), typeof(RnnTanhL2Bi), typeof(RnnTanhL3Uni), typeof(RnnTanhL3Bi),
        typeof(RnnReluL1Uni), typeof(RnnReluL1Bi), typeof(RnnReluL2Uni), typeof(RnnReluL2Bi), typeof(RnnReluL3Uni), typeof(RnnReluL3Bi),
        typeof(TokenLstmEachStep), typeof(TokenLstmBiLastStep), typeof(TokenGruBiEachStep), typeof(TokenGruLastStep),
        typeof(TokenRnnReluBiLastStep), typeof(TokenRnnTanhEachStep), typeof(FloatLstmBiLastStep), typeof(FloatGruEachStep),
        typeof(MixedStack), typeof(LstmWithDropout),
        typeof(ResidualLstm), typeof(ResidualBiGru), typeof(SigmoidRnnBi), typeof(TokenLstmDenseChain), typeof(EmbeddingDenseOnly),
        typeof(BiGruDenseLastStep), typeof(Sentiment.BiGru),
    };

    public static IEnumerable<object[]> Names() => Types.Select(t => new object[] { t.Name });

    public static ISequenceModel Create(string name, int seed = 1) =>
        (ISequenceModel)Activator.CreateInstance(Types.Single(t => t.Name == name), seed)!;
}

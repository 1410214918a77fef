using CodeGenLstm.Generators.Model;

namespace CodeGenLstm.Generators.Emitting;

/// <summary>
/// The packing protocol of every site that keeps weights in panels (a recurrent stage forward and backward,
/// a Dense stage forward and backward), written here once: the stage's weight check gives <c>version</c>;
/// each part packs its share of the panels whose stamp (a runtime <c>PanelStamp</c>) is stale; a barrier;
/// then, after a barrier, part 0 records the version and the stamps. The sites differ only in what they pack.
/// </summary>
internal sealed partial class ClassWriter
{
    private const string Stamp = "global::CodeGenLstm.Generated.PanelStamp";

    /// <summary>The first step: <c>version</c>, the stage's weights version, the same in every part.</summary>
    private static string CheckWeights(Stage stage) => $"int version = CheckWeights{I(stage.Index)}(part, parts, team);";

    /// <summary>
    /// The second step: <paramref name="pack"/> (each part its share) when the panels behind <paramref name="stamp"/>
    /// hold other weights or another width; <paramref name="when"/> is a further condition (empty: none).
    /// </summary>
    private static string PackIfStale(string stamp, string pack, string when = "") => $$"""
        if ({{(when.Length == 0 ? "" : when + " && ")}}{{stamp}}.IsStale(version, width))
        {
            {{Indent(pack, 1)}}
        }
        """;

    /// <summary>
    /// The last step, after a barrier that every part reached after reading the version and the stamps:
    /// part 0 records the weights version and, through <paramref name="stamps"/> (a recurrent stage's per direction),
    /// what the panels now hold.
    /// </summary>
    private string RecordPacking(Stage stage, string stamps) => $$"""
        if (part == 0)
        {
            // Every part has read the version and the stamps by now: record what the panels hold.
            _weightsVersion{{I(stage.Index)}} = version;
            {{Indent(ForEachDirection(stage, stamps), 1)}}
        }
        """;

    /// <summary>A stamp's record of the version and width just packed.</summary>
    private static string Record(string stamp) => $"{stamp}.Record(version, width);";
}

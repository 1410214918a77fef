using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Google.Protobuf;
using Onnx;

namespace CodeGenLstm.Onnx;

/// <summary>
/// ONNX export and import of generated models (docs/onnx.md): <see cref="Write"/> and <see cref="ToBytes"/>
/// write a standard ONNX model of the declaration and its weights; <see cref="Read(ISequenceModel, string)"/>
/// loads the weights of a graph that matches the declaration (ours, or torch.onnx's of the same architecture).
/// </summary>
public static class OnnxFile
{
    /// <summary>The ONNX operator set the exported models use (the default domain).</summary>
    public const int Opset = 17;

    /// <summary>Writes the model (architecture and weights) as an ONNX file.</summary>
    public static void Write(ISequenceModel model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, ToBytes(model, options));
    }

    /// <summary>The model (architecture and weights) as the bytes of an ONNX file.</summary>
    public static byte[] ToBytes(ISequenceModel model, OnnxExportOptions? options = null) => Build(model, options).ToByteArray();

    /// <summary>
    /// Loads the weights of an ONNX file whose graph matches the model's declaration. Throws
    /// <see cref="InvalidDataException"/> naming the first node or initializer that does not match, or when the
    /// bytes are not a readable ONNX model; the model is then unchanged.
    /// </summary>
    public static void Read(ISequenceModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Read(model, File.ReadAllBytes(path));
    }

    /// <summary>As <see cref="Read(ISequenceModel, string)"/>, from the bytes of the file.</summary>
    public static void Read(ISequenceModel model, ReadOnlySpan<byte> onnx) => OnnxImporter.Read(model, onnx);

    /// <summary>
    /// The exported graph as text, one line per graph input, node and output:
    /// <c>LSTM lstm.l0(input_time_major, lstm.l0.W, lstm.l0.R, lstm.l0.B) -&gt; lstm.l0.Y</c>.
    /// </summary>
    public static string Describe(ISequenceModel model, OnnxExportOptions? options = null)
    {
        GraphProto graph = Build(model, options).Graph;
        var text = new StringBuilder();
        foreach (ValueInfoProto input in graph.Input) text.Append("input ").Append(Value(input)).Append('\n');
        foreach (NodeProto node in graph.Node)
            text.Append(node.OpType).Append(' ').Append(node.Name).Append('(').Append(string.Join(", ", node.Input.Select(i => i.Length == 0 ? "-" : i)))
                .Append(") -> ").Append(string.Join(", ", node.Output)).Append('\n');
        foreach (ValueInfoProto output in graph.Output) text.Append("output ").Append(Value(output)).Append('\n');
        return text.ToString();
    }

    private static ModelProto Build(ISequenceModel model, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new OnnxExporter(model, options ?? new OnnxExportOptions()).Build();
    }

    private static string Value(ValueInfoProto value)
    {
        var type = (TensorProto.Types.DataType)value.Type.TensorType.ElemType;
        string dims = string.Join(", ", value.Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.DimParam));
        return $"{value.Name}: {type.ToString().ToLowerInvariant()} [{dims}]";
    }
}

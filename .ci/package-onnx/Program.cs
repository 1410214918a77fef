using System;
using System.IO;
using System.Linq;
using CodeGenLstm;
using CodeGenLstm.Onnx;

// A user of both packages: export a model to ONNX, read it back into another instance, and check that
// the weights and the outputs are the same. .ci/steps/61-onnx-package.sh checks this output.
var source = new Tagger(seed: 1);
var copy = new Tagger(seed: 2);
string path = Path.Combine(Path.GetTempPath(), $"tagger-{Guid.NewGuid():N}.onnx");
OnnxFile.Write(source, path, new OnnxExportOptions { VariableLengths = true, States = true });
OnnxFile.Read(copy, path);
long bytes = new FileInfo(path).Length;
File.Delete(path);

int[] tokens = { 1, 5, 9, 2, 7, 3 };
float[] a = new float[2 * 3 * Tagger.OutputSize], b = new float[a.Length];
source.Forward(tokens, 2, 3, a);
copy.Forward(tokens, 2, 3, b);
bool same = source.Parameters.SequenceEqual(copy.Parameters) && a.SequenceEqual(b);
Console.WriteLine($"onnx package ok: opset {OnnxFile.Opset}, {bytes} bytes, {(same ? "read back exactly" : "NOT THE SAME")}");

[Embedding(vocabularySize: 10, dimension: 4)]
[Gru(hiddenSize: 6, bidirectional: true)]
[Dense(outputSize: 3)]
public partial class Tagger;

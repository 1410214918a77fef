using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CodeGenLstm.Generators.Tests.Fuzzing;

/// <summary>
/// Random inputs for the generator fuzzer: layer attributes in random orders and counts with argument
/// values from the edges (int.MinValue/MaxValue, NaN, infinities, negatives, the documented maxima and
/// one past them), every kind of type declaration and name the language accepts (file-local, nested,
/// generic, records, structs, @keywords, namespaces, primary constructors, base classes), user members
/// and sibling types named like generated ones, models in two partial parts or two files, and
/// prefixes of all of these (text as it is typed). Case <c>i</c> of seed <c>s</c> is always the same input.
/// Not generated: types declared in the namespaces System and CodeGenLstm.Generated themselves, which
/// belong to .NET and to the library (a user type there can capture any name).
/// </summary>
internal static class GeneratorCases
{
    private static readonly string[] s_sizes =
    {
        "1", "2", "3", "4", "5", "8", "16", "0", "-1", "int.MinValue", "int.MaxValue", "16777216", "16777217", "46341", "1 << 20", "100000",
    };

    private static readonly string[] s_layerCounts = { "1", "2", "3", "16", "17", "0", "-5", "100000", "int.MaxValue", "int.MinValue" };

    private static readonly string[] s_floats =
    {
        "0f", "0.5f", "1f", "-1f", "3f", "1e-3f", "1e-45f", "float.NaN", "float.PositiveInfinity", "float.NegativeInfinity", "float.MaxValue", "-0f", "1e30f",
    };

    private static readonly string[] s_ints = { "0", "1", "50", "1000", "-1", "int.MaxValue", "int.MinValue", "7", "99" };

    private static readonly string[] s_names = { "Model", "@class", "@event", "var", "Forward", "ModelKernels", "StageWork", "_batch", "Модель", "M\u00e9lange", "nameof", "RunStage", "Parameters", "Rng", "model", "@record" };

    private static readonly string[] s_namespaces = { "", "Demo", "@class", "A.B.C", "@namespace.@var", "Demo.Forward", "Demo.CodeGenLstm", "Demo.System" };

    private static readonly string[] s_members =
    {
        "private int _batch;", "private int _steps;", "private int _width;", "private float[] _parameters = new float[1];", "private long _seed;",
        "private void RunStage(int stage, bool backward, long flops) { }", "private void EnsureWorkspace(int batch, int steps) { }",
        "private sealed class StageWork { }", "public void Forward() { }", "public int Forward;", "public void Forward(float[] x) { _ = x; }",
        "public int InputSize => 3;", "public void ResetState() { }", "public void Helper() { }", "public static int Count = 1;",
        "private int nameof(int x) => x;", "public override string ToString() => \"m\";", "private sealed class RecurrentBuffers { }",
        "public event System.Action? Changed;", "public int this[int i] => i;", "~CLASS() { }", "public CLASS() { }", "public CLASS(int seed) { _ = seed; }",
        "public CLASS(string s) : this() { _ = s; }", "private static readonly global::CodeGenLstm.NamedTensor[] s_tensors = System.Array.Empty<global::CodeGenLstm.NamedTensor>();",
        "int global::CodeGenLstm.ISequenceModel.InputSize => 1;", "private const string NotGeneratedMessage = \"x\";",
    };

    private static readonly string[] s_siblings =
    {
        "public class ModelKernels { }", "public class var { }", "public class Forward { }", "public class Rng { }", "public class RecurrentBuffers { }",
        "public class Span<T> { }", "public class Math { }", "public class Vector256 { }", "public class CodeGenLstm { }", "public class System { }",
        "public class CLASSKernels { public static void Nothing() { } }", "public class StageWork { }", "public class Array { }",
    };

    /// <summary>The source files of case <paramref name="index"/>.</summary>
    public static string[] Case(int seed, int index)
    {
        var random = new Random(unchecked(seed * 1_000_003 + index));
        string name = Pick(random, s_names);
        string ns = random.Next(3) == 0 ? Pick(random, s_namespaces) : "Demo";
        bool fileScoped = random.Next(2) == 0;
        string attributes = Attributes(random);
        string typeDeclaration = TypeDeclaration(random, name, out string className);
        string members = random.Next(3) == 0
            ? string.Join(" ", Enumerable.Range(0, random.Next(1, 3)).Select(_ => Pick(random, s_members).Replace("CLASS", className)))
            : "";
        string body = members.Length == 0 && random.Next(2) == 0 ? ";" : $" {{ {members} }}";
        string siblings = random.Next(4) == 0 ? Pick(random, s_siblings).Replace("CLASS", className) : "";
        string model = Wrap(random, $"{attributes}\n{typeDeclaration}{body}", className);

        var file = new StringBuilder("using CodeGenLstm;\n#nullable enable\n");
        if (ns.Length == 0) file.Append(model).Append('\n').Append(siblings);
        else if (fileScoped) file.Append($"namespace {ns};\n{model}\n{siblings}\n");
        else file.Append($"namespace {ns}\n{{\n{model}\n{siblings}\n}}\n");
        string first = file.ToString();

        // Text as it is typed: a prefix of the file.
        if (random.Next(6) == 0) first = first.Substring(0, random.Next(first.Length + 1));

        var sources = new List<string> { first };
        switch (random.Next(8))
        {
            case 0:  // a second partial part in another file, perhaps with its own members or layers
                string part = random.Next(2) == 0 ? "" : Pick(random, s_members).Replace("CLASS", className);
                string layers = random.Next(3) == 0 ? "[Dense(outputSize: 2)] " : "";
                sources.Add(InNamespace(ns, $"{layers}public partial class {className} {{ {part} }}"));
                break;
            case 1:  // a file-local model of the same name in another file
                sources.Add(InNamespace(ns, $"[Lstm(inputSize: 2, hiddenSize: 3)] file partial class {className};"));
                break;
            case 2:  // a model whose name differs only in case, in another file
                string twin = className.ToLowerInvariant() == className ? className.ToUpperInvariant() : className.ToLowerInvariant();
                sources.Add(InNamespace(ns, $"[Gru(inputSize: 2, hiddenSize: 3)] public partial class {twin};"));
                break;
            case 3:  // an ordinary class of the same name in another file
                sources.Add(InNamespace(ns, $"public class {className} {{ }}"));
                break;
        }
        return sources.ToArray();
    }

    private static string InNamespace(string ns, string code) =>
        "using CodeGenLstm;\n#nullable enable\n" + (ns.Length == 0 ? code : $"namespace {ns};\n{code}\n");

    private static string Attributes(Random random)
    {
        var attributes = new List<string>();
        int count = random.Next(0, 5);
        for (int i = 0; i < count; i++)
        {
            string kind = Pick(random, new[] { "Lstm", "Gru", "Rnn", "Embedding", "Dense", "Lstm", "Gru" });
            attributes.Add(kind switch
            {
                "Embedding" => $"[Embedding({Pick(random, s_sizes)}, {Pick(random, s_sizes)}{Named(random, "Name")})]",
                "Dense" => $"[Dense({Pick(random, s_sizes)}{Named(random, "Readout", "Name")})]",
                _ => $"[{kind}(hiddenSize: {Pick(random, s_sizes)}, layers: {Pick(random, s_layerCounts)}, bidirectional: {(random.Next(2) == 0 ? "true" : "false")}" +
                     (i == 0 || random.Next(3) == 0 ? $", inputSize: {Pick(random, s_sizes)}" : "") +
                     Named(random, "Dropout", "InitGain", "ForgetBias", "Init", "Activation", "Residual", "Name") + ")]",
            });
        }
        // Small sizes most of the time: the common case must be exercised as much as the edges.
        if (count > 0 && random.Next(2) == 0)
            attributes[0] = $"[Lstm(inputSize: {random.Next(1, 6)}, hiddenSize: {random.Next(1, 6)}, layers: {random.Next(1, 3)})]";
        if (random.Next(3) == 0)
            attributes.Insert(random.Next(attributes.Count + 1),
                $"[Training(SequenceLength = {Pick(random, s_ints)}, Optimizer = (Optimizer){random.Next(-1, 7)}, LearningRate = {Pick(random, s_floats)}, ClipNorm = {Pick(random, s_floats)}, ClipValue = {Pick(random, s_floats)})]");
        return string.Join("\n", attributes);
    }

    private static string Named(Random random, params string[] names)
    {
        var text = new StringBuilder();
        foreach (string name in names)
        {
            if (random.Next(4) != 0) continue;
            text.Append(", ").Append(name).Append(" = ").Append(name switch
            {
                "Dropout" or "InitGain" or "ForgetBias" => Pick(random, s_floats),
                "Init" => $"(RecurrentInit){random.Next(-1, 5)}",
                "Activation" => $"(Activation){random.Next(-1, 4)}",
                "Readout" => $"(Readout){random.Next(-1, 3)}",
                "Residual" => random.Next(2) == 0 ? "true" : "false",
                _ => Pick(random, new[] { "\"enc\"", "\"\"", "\"a b\"", "\"x\\n\"", "null", "\"lstm\"", "\"\\\"\"" }),
            });
        }
        return text.ToString();
    }

    private static string TypeDeclaration(Random random, string name, out string className)
    {
        className = name;
        switch (random.Next(14))
        {
            case 0: return $"public class {name}";
            case 1: return $"file partial class {name}";
            case 2: return $"public partial class {name}<T>";
            case 3: return $"public partial record {name}";
            case 4: return $"public partial struct {name}";
            case 5: return $"public static partial class {name}";
            case 6: return $"public sealed partial class {name}(int x)";
            case 7: return $"public partial class {name} : System.Exception";
            case 8: return $"public partial class {name} : Base{random.Next(3)}";
            case 9: return $"internal abstract partial class {name}";
            default: return $"public partial class {name}";
        }
    }

    /// <summary>Nests the model in 0 to 2 enclosing types of random kinds, and adds the base classes case 8 needs.</summary>
    private static string Wrap(Random random, string model, string className)
    {
        string bases = "public class Base0 { } public class Base1 { public Base1(int x) { _ = x; } } public class Base2 { protected Base2(int x = 1) { _ = x; } }\n";
        int depth = random.Next(4) == 0 ? random.Next(1, 3) : 0;
        for (int i = 0; i < depth; i++)
        {
            string outer = Pick(random, new[] { "public partial class Outer#", "public partial struct Outer#", "public partial record Outer#", "public class Outer#", "public partial class Outer#<T>", "public static partial class Outer#", "public partial interface IOuter#", "file partial class Outer#" });
            model = $"{outer.Replace("#", i.ToString(System.Globalization.CultureInfo.InvariantCulture))} {{ {model} }}";
        }
        _ = className;
        return bases + model;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}

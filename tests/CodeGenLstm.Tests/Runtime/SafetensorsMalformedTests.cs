using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using static CodeGenLstm.Tests.Runtime.SafetensorsTestFiles;

namespace CodeGenLstm.Tests.Runtime;

/// <summary>
/// One malformed file per validation rule of the format (as huggingface/safetensors' reader applies them,
/// plus this library's F32/F16/BF16 and array-size limits): each must give an InvalidDataException whose
/// message says what is wrong.
/// </summary>
public sealed class SafetensorsMalformedTests : IDisposable
{
    private readonly SafetensorsTempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>A one-tensor header with the given raw JSON for each field.</summary>
    private static string One(string dtype = "\"F32\"", string shape = "[]", string offsets = "[0,4]", string name = "t") =>
        $$$"""{"{{{name}}}":{"dtype":{{{dtype}}},"shape":{{{shape}}},"data_offsets":{{{offsets}}}}}""";

    private static byte[] Raw(params byte[][] parts) => Concat(parts);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static readonly Dictionary<string, (byte[] File, string Says)> Cases = new()
    {
        // Length prefix and truncation.
        ["empty file"] = ([], "shorter than the 8-byte"),
        ["one byte"] = ([8], "shorter than the 8-byte"),
        ["seven bytes"] = (new byte[7], "shorter than the 8-byte"),
        ["header length just over the limit"] = (Layout(100_000_001UL, Ascii("{}      "), []), "more than the 100000000"),
        ["header length 2^63"] = (Layout(1UL << 63, Ascii("{}      "), []), "more than the 100000000"),
        ["header length 2^64-1"] = (Layout(ulong.MaxValue, Ascii("{}      "), []), "more than the 100000000"),
        ["header length past the end"] = (Layout(64, Ascii("{}      "), []), "truncated"),
        ["header length one past the end"] = (Layout(9, Ascii("{}      "), []), "truncated"),
        ["zero header length"] = (Layout(0, [], []), "not valid JSON"),
        ["data shorter than the offsets"] = (Layout(One(shape: "[2]", offsets: "[0,8]"), 7), "truncated"),
        ["no data at all"] = (Layout(One(), 0), "truncated"),

        // Encoding and JSON syntax.
        ["invalid UTF-8 byte"] = (Layout(Raw(Ascii("{\"a"), [0xFF], Ascii("\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}")), new byte[4]), "UTF-8"),
        ["overlong UTF-8"] = (Layout(Raw(Ascii("{\"a"), [0xC0, 0xAF], Ascii("\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}")), new byte[4]), "UTF-8"),
        ["UTF-8 encoded surrogate"] = (Layout(Raw(Ascii("{\"a"), [0xED, 0xA0, 0x80], Ascii("\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}")), new byte[4]), "UTF-8"),
        ["UTF-8 sequence cut short"] = (Layout(Raw(Ascii("{}     "), [0xE2]), []), "UTF-8"),
        ["byte order mark"] = (Layout(Raw([0xEF, 0xBB, 0xBF], Ascii("{}   ")), []), "JSON"),
        ["escaped lone surrogate in a name"] = (Layout(One(name: "\\ud800"), 4), "not a valid safetensors file"),
        ["escaped lone surrogate in metadata"] = (Layout("""{"__metadata__":{"k":"\udc00"}}""", 0), "not a valid safetensors file"),
        ["unterminated JSON"] = (Layout("""{"t":{"dtype":"F32","shape":[]""", 4), "not valid JSON"),
        ["missing colon"] = (Layout("""{"t" {"dtype":"F32","shape":[],"data_offsets":[0,4]}}""", 4), "not valid JSON"),
        ["trailing comma"] = (Layout("""{"t":{"dtype":"F32","shape":[],"data_offsets":[0,4]},}""", 4), "not valid JSON"),
        ["comment"] = (Layout("/* c */" + One(), 4), "not valid JSON"),
        ["single quotes"] = (Layout("{'t':{'dtype':'F32','shape':[],'data_offsets':[0,4]}}", 4), "not valid JSON"),
        ["NUL padding"] = (Layout(Raw(Ascii("{}"), new byte[6]), []), "not valid JSON"),
        ["text after the object"] = (Layout("{} x", 0), "not valid JSON"),
        ["two objects"] = (Layout("{}{}", 0), "not valid JSON"),
        ["only spaces"] = (Layout("        ", 0), "not valid JSON"),
        ["deep nesting"] = (Layout("""{"t":{"dtype":"F32","shape":[],"data_offsets":[0,4],"x":""" + new string('[', 1000) + new string(']', 1000) + "}}", 4), "not valid JSON"),

        // Header structure.
        ["header is an array"] = (Layout("[]", 0), "not an object"),
        ["header is a string"] = (Layout("\"{}\"", 0), "not an object"),
        ["header is a number"] = (Layout("8", 0), "not an object"),
        ["header is null"] = (Layout("null", 0), "not an object"),
        ["header is true"] = (Layout("true", 0), "not an object"),
        ["entry is a number"] = (Layout("""{"t":4}""", 4), "'t'"),
        ["entry is an array"] = (Layout("""{"t":["F32",[],[0,4]]}""", 4), "'t'"),
        ["entry is null"] = (Layout("""{"t":null}""", 4), "'t'"),
        ["entry is a string"] = (Layout("""{"t":"F32"}""", 4), "'t'"),
        ["missing dtype"] = (Layout("""{"t":{"shape":[],"data_offsets":[0,4]}}""", 4), "no 'dtype'"),
        ["missing shape"] = (Layout("""{"t":{"dtype":"F32","data_offsets":[0,4]}}""", 4), "no 'shape'"),
        ["missing data_offsets"] = (Layout("""{"t":{"dtype":"F32","shape":[]}}""", 4), "no 'data_offsets'"),
        ["misspelled offsets field"] = (Layout("""{"t":{"dtype":"F32","shape":[],"offsets":[0,4]}}""", 4), "no 'data_offsets'"),
        ["empty entry"] = (Layout("""{"t":{}}""", 4), "no 'dtype'"),

        // Field types.
        ["dtype is a number"] = (Layout(One(dtype: "32"), 4), "'dtype' is a JSON number"),
        ["dtype is null"] = (Layout(One(dtype: "null"), 4), "'dtype' is a JSON null"),
        ["dtype is an array"] = (Layout(One(dtype: "[\"F32\"]"), 4), "'dtype' is a JSON array"),
        ["shape is a string"] = (Layout(One(shape: "\"[2]\""), 4), "'shape' is a JSON string"),
        ["shape is a number"] = (Layout(One(shape: "1"), 4), "'shape' is a JSON number"),
        ["shape is an object"] = (Layout(One(shape: "{\"0\":1}"), 4), "'shape' is a JSON object"),
        ["shape is null"] = (Layout(One(shape: "null"), 4), "'shape' is a JSON null"),
        ["shape has a fraction"] = (Layout(One(shape: "[1.5]", offsets: "[0,6]"), 6), "shape[0]"),
        ["shape has 1.0"] = (Layout(One(shape: "[1.0]"), 4), "shape[0]"),
        ["shape has an exponent"] = (Layout(One(shape: "[1e0]"), 4), "shape[0]"),
        ["shape has a string"] = (Layout(One(shape: "[\"1\"]"), 4), "shape[0]"),
        ["shape has null"] = (Layout(One(shape: "[null]"), 4), "shape[0]"),
        ["shape has a nested array"] = (Layout(One(shape: "[[1]]"), 4), "shape[0]"),
        ["shape has a boolean"] = (Layout(One(shape: "[1,true]"), 4), "shape[1]"),
        ["negative dimension"] = (Layout(One(shape: "[-1]"), 4), "negative"),
        ["several negative dimensions"] = (Layout(One(shape: "[-2,-2]"), 16), "negative"),
        ["dimension beyond 64 bits"] = (Layout(One(shape: "[99999999999999999999999]"), 4), "not an integer in range"),
        ["offsets is a string"] = (Layout(One(offsets: "\"0,4\""), 4), "'data_offsets' is a JSON string"),
        ["offsets is an object"] = (Layout(One(offsets: "{\"begin\":0,\"end\":4}"), 4), "'data_offsets' is a JSON object"),
        ["offsets has one entry"] = (Layout(One(offsets: "[4]"), 4), "not 2"),
        ["offsets has three entries"] = (Layout(One(offsets: "[0,4,8]"), 4), "not 2"),
        ["offsets is empty"] = (Layout(One(offsets: "[]"), 4), "not 2"),
        ["negative begin"] = (Layout(One(offsets: "[-4,0]"), 4), "negative"),
        ["negative end"] = (Layout(One(offsets: "[0,-4]"), 4), "negative"),
        ["fractional offset"] = (Layout(One(offsets: "[0,4.0]"), 4), "data_offsets[1]"),
        ["offset beyond 64 bits"] = (Layout(One(offsets: "[0,18446744073709551620]"), 4), "not an integer in range"),
        ["offset 1e20"] = (Layout(One(offsets: "[0,1e20]"), 4), "data_offsets[1]"),
        ["offsets are strings"] = (Layout(One(offsets: "[\"0\",\"4\"]"), 4), "data_offsets[0]"),

        // Offsets against each other and against the data.
        ["offsets reversed"] = (Layout(One(offsets: "[4,0]"), 4), "end before they begin"),
        ["hole before the first tensor"] = (Layout(One(offsets: "[4,8]"), 8), "belong to no tensor"),
        ["hole between tensors"] = (Layout("""{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}""", 12), "belong to no tensor"),
        ["overlapping tensors"] = (Layout("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12), "overlaps"),
        ["same range twice"] = (Layout("""{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}""", 4), "overlaps"),
        ["one tensor inside another"] = (Layout("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[],"data_offsets":[4,8]}}""", 16), "overlaps"),
        ["bytes after the last tensor"] = (Layout(One(), 8), "belong to no tensor"),
        ["one byte after the last tensor"] = (Layout(One(), 5), "belong to no tensor"),
        ["data but no tensors"] = (Layout("{}", 4), "belong to no tensor"),
        ["shape needs more bytes"] = (Layout(One(shape: "[2,2]", offsets: "[0,12]"), 12), "needs 16 bytes"),
        ["shape needs fewer bytes"] = (Layout(One(shape: "[2]", offsets: "[0,12]"), 12), "needs 8 bytes"),
        ["F16 counted as four bytes"] = (Layout(One(dtype: "\"F16\"", shape: "[3]", offsets: "[0,12]"), 12), "needs 6 bytes"),
        ["BF16 odd byte count"] = (Layout(One(dtype: "\"BF16\"", shape: "[1]", offsets: "[0,3]"), 3), "needs 2 bytes"),
        ["element count overflows"] = (Layout(One(shape: "[4294967296,4294967296]", offsets: "[0,0]"), 0), "shape [4294967296, 4294967296] in F32 overflows"),
        ["byte count overflows"] = (Layout(One(shape: "[4611686018427387904]", offsets: "[0,0]"), 0), "overflows"),
        ["product of maximal dimensions"] = (Layout(One(shape: "[9223372036854775807,9223372036854775807,0]", offsets: "[0,0]"), 0), "overflows"),
        ["more elements than an array holds"] = (Layout(One(dtype: "\"F16\"", shape: "[2147483648]", offsets: "[0,4294967296]"), 0), "more than a float array can hold"),
        ["more elements than an array holds, 2-d"] = (Layout(One(dtype: "\"BF16\"", shape: "[65536,65536]", offsets: "[0,8589934592]"), 0), "more than a float array can hold"),
        ["dimension beyond int with a zero"] = (Layout(One(shape: "[0,2147483648]", offsets: "[0,0]"), 0), "larger than int.MaxValue"),

        // Dtypes.
        ["dtype I64"] = (Layout(One(dtype: "\"I64\"", offsets: "[0,8]"), 8), "dtype 'I64'; only F32, F16 and BF16 are supported"),
        ["dtype F64"] = (Layout(One(dtype: "\"F64\"", offsets: "[0,8]"), 8), "dtype 'F64'; only F32, F16 and BF16 are supported"),
        ["dtype U8"] = (Layout(One(dtype: "\"U8\"", offsets: "[0,1]"), 1), "dtype 'U8'; only F32, F16 and BF16 are supported"),
        ["dtype BOOL"] = (Layout(One(dtype: "\"BOOL\"", offsets: "[0,1]"), 1), "dtype 'BOOL'; only F32, F16 and BF16 are supported"),
        ["dtype F8_E4M3"] = (Layout(One(dtype: "\"F8_E4M3\"", offsets: "[0,1]"), 1), "dtype 'F8_E4M3'; only F32, F16 and BF16 are supported"),
        ["dtype lower case"] = (Layout(One(dtype: "\"f32\""), 4), "unknown dtype 'f32'; only F32, F16 and BF16 are supported"),
        ["dtype numpy name"] = (Layout(One(dtype: "\"float32\""), 4), "unknown dtype 'float32'"),
        ["dtype empty"] = (Layout(One(dtype: "\"\""), 4), "unknown dtype ''"),
        ["dtype with a space"] = (Layout(One(dtype: "\"F32 \""), 4), "unknown dtype 'F32 '"),

        // Names and metadata.
        ["duplicate tensor"] = (Layout("""{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[],"data_offsets":[4,8]}}""", 8), "tensor 'a' twice"),
        ["duplicate tensor spelt with an escape"] = (Layout("""{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"\u0061":{"dtype":"F32","shape":[],"data_offsets":[4,8]}}""", 8), "tensor 'a' twice"),
        ["duplicate field"] = (Layout("""{"t":{"dtype":"F32","dtype":"F16","shape":[],"data_offsets":[0,4]}}""", 4), "'dtype' appears twice"),
        ["duplicate metadata"] = (Layout("""{"__metadata__":{},"__metadata__":{}}""", 0), "'__metadata__' twice"),
        ["duplicate metadata key"] = (Layout("""{"__metadata__":{"k":"1","k":"2"}}""", 0), "'k' appears twice"),
        ["metadata value is a number"] = (Layout("""{"__metadata__":{"step":100}}""", 0), "must be strings"),
        ["metadata value is null"] = (Layout("""{"__metadata__":{"k":null}}""", 0), "must be strings"),
        ["metadata value is an object"] = (Layout("""{"__metadata__":{"k":{"x":"y"}}}""", 0), "must be strings"),
        ["metadata is an array"] = (Layout("""{"__metadata__":["k","v"]}""", 0), "not an object of strings"),
        ["metadata is a string"] = (Layout("""{"__metadata__":"k=v"}""", 0), "not an object of strings"),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in Cases.Keys)
            data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReadRejectsWithInvalidDataException(string name)
    {
        (byte[] file, string says) = Cases[name];
        string path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, file);

        InvalidDataException ex = Assert.Throws<InvalidDataException>(() => Safetensors.Read(path));
        Assert.Contains(says, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);

        InvalidDataException metadataEx = Assert.Throws<InvalidDataException>(() => Safetensors.ReadMetadata(path));
        Assert.Equal(ex.Message, metadataEx.Message);
    }

    [Fact]
    public void EveryCaseBecomesValidWhenItsDefectIsRepairedForTheBaseline()
    {
        // The helper builds valid files when given valid fields: the rejections above come from the defect.
        string path = dir.File("good.safetensors");
        File.WriteAllBytes(path, Layout(One(), 4));
        Assert.Single(Safetensors.Read(path));
        File.WriteAllBytes(path, Layout(One(dtype: "\"F16\"", shape: "[3]", offsets: "[0,6]"), 6));
        Assert.Equal([3], Safetensors.Read(path)[0].Shape);
        File.WriteAllBytes(path, Layout(One(shape: "[0,2147483647]", offsets: "[0,0]"), 0));
        Assert.Equal([0, int.MaxValue], Safetensors.Read(path)[0].Shape);
        File.WriteAllBytes(path, Layout("{}", 0));
        Assert.Empty(Safetensors.Read(path));
        File.WriteAllBytes(path, Layout("""{"__metadata__":{"k":"v"}}""", 0));
        Assert.Equal("v", Safetensors.ReadMetadata(path)["k"]);
    }

    [Fact]
    public void DtypeMessagesNameTheTensorAndTheDtype()
    {
        string path = dir.File("dtype.safetensors");
        File.WriteAllBytes(path, Layout(One(dtype: "\"I32\"", name: "lstm.weight_hh_l0"), 4));
        InvalidDataException ex = Assert.Throws<InvalidDataException>(() => Safetensors.Read(path));
        Assert.Contains("'lstm.weight_hh_l0'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'I32'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("only F32, F16 and BF16 are supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CaseNamesAreUnique() =>
        Assert.Equal(Cases.Count, Cases.Keys.Distinct(StringComparer.Ordinal).Count());
}

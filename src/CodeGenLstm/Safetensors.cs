using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace CodeGenLstm;

/// <summary>
/// Reads and writes the safetensors format of huggingface/safetensors: an 8-byte little-endian
/// unsigned header length N, N bytes of UTF-8 JSON header
/// (<c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {"k": "v"}}</c>),
/// then the little-endian tensor data, with offsets relative to the start of that data.
/// </summary>
/// <remarks>
/// <see cref="Write"/> writes F32 tensors in the given order, pads the header with spaces to a multiple of
/// 8 bytes as the reference writer does, and replaces the target file atomically.
/// <see cref="Read"/> accepts F32, F16 and BF16 tensors, returns them as float in the order of their data
/// offsets, and validates the file as the reference reader does (header at most 100,000,000 bytes, offsets
/// contiguous and covering the data exactly, shape and dtype consistent with the byte count); any malformed
/// file gives an <see cref="InvalidDataException"/> that says what is wrong and where.
/// </remarks>
public static class Safetensors
{
    /// <summary>The largest header the reference implementation accepts, in bytes.</summary>
    private const long MaxHeaderSize = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Elements converted per chunk for F16/BF16 reads and big-endian F32 writes.</summary>
    private const int ConversionChunk = 1 << 15;

    /// <summary>Elements read or written per call for F32 data (keeps each span below 2 GiB).</summary>
    private const int DirectChunk = 1 << 26;

    private enum DType
    {
        F32,
        F16,
        BF16,
    }

    /// <summary>One validated tensor entry of a header.</summary>
    private sealed class Entry(string name, DType dtype, int[] shape, int count, long begin, long end, int headerIndex)
    {
        public string Name { get; } = name;
        public DType DType { get; } = dtype;
        public int[] Shape { get; } = shape;
        public int Count { get; } = count;
        public long Begin { get; } = begin;
        public long End { get; } = end;
        public int HeaderIndex { get; } = headerIndex;
    }

    /// <summary>A validated header: the entries in data-offset order and the metadata.</summary>
    private sealed class Header(List<Entry> entries, Dictionary<string, string> metadata)
    {
        public List<Entry> Entries { get; } = entries;
        public Dictionary<string, string> Metadata { get; } = metadata;
    }

    // ------------------------------------------------------------------------------------------------
    // Write
    // ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Writes <paramref name="tensors"/> as F32 to a safetensors file at <paramref name="path"/>, in the given
    /// order, with optional string <paramref name="metadata"/> (the header's <c>__metadata__</c>).
    /// </summary>
    /// <remarks>
    /// Every argument is validated before the disk is touched. The file is written to a temporary file in the
    /// same directory, flushed to disk, then moved over <paramref name="path"/>, so readers see either the old
    /// file or the complete new one; on any failure the temporary file is deleted and an existing file at
    /// <paramref name="path"/> is left unchanged.
    /// </remarks>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors; names must be non-empty, unique and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Optional free-form string metadata; values must not be null.</param>
    /// <exception cref="ArgumentException">
    /// A null or empty path; a null tensor, name, shape or data; an empty, duplicate or reserved name; a negative
    /// dimension; a shape whose element count differs from the data length; a null metadata value; text that
    /// is not valid UTF-16. The message names the offending tensor or key. Nothing is written.
    /// </exception>
    public static void Write(string path, IEnumerable<NamedTensor> tensors,
                             IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);

        var list = new List<NamedTensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (NamedTensor tensor in tensors)
        {
            ValidateForWrite(tensor, list.Count, names);
            list.Add(tensor);
        }

        if (metadata is not null)
        {
            foreach (KeyValuePair<string, string> pair in metadata)
            {
                if (pair.Key is null)
                    throw new ArgumentException("A metadata key is null.", nameof(metadata));
                if (pair.Value is null)
                    throw new ArgumentException($"The value of metadata key '{pair.Key}' is null.", nameof(metadata));
                if (!IsWellFormedUtf16(pair.Key))
                    throw new ArgumentException($"Metadata key '{pair.Key}' is not valid UTF-16 (a lone surrogate).", nameof(metadata));
                if (!IsWellFormedUtf16(pair.Value))
                    throw new ArgumentException($"The value of metadata key '{pair.Key}' is not valid UTF-16 (a lone surrogate).", nameof(metadata));
            }
        }

        byte[] header = BuildHeader(list, metadata);
        if (header.Length > MaxHeaderSize)
        {
            throw new ArgumentException(
                $"The header would be {header.Length} bytes, more than the {MaxHeaderSize} bytes readers accept.",
                nameof(tensors));
        }

        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        string? directory = Path.GetDirectoryName(fullPath);
        if (fileName.Length == 0 || directory is null)
            throw new ArgumentException($"The path '{path}' does not name a file.", nameof(path));

        // Hidden, unique, and short enough for a 255-byte file-name limit whatever the target's name.
        string stem = fileName.Length <= 160 ? fileName : fileName[..(char.IsHighSurrogate(fileName[159]) ? 159 : 160)];
        string temp = Path.Combine(directory, "." + stem + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                                               bufferSize: 1 << 16, FileOptions.None))
            {
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (NamedTensor tensor in list)
                    WriteF32(stream, tensor.Data);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void ValidateForWrite(NamedTensor? tensor, int index, HashSet<string> names)
    {
        if (tensor is null)
            throw new ArgumentException($"Tensor #{index} is null.", "tensors");
        string? name = tensor.Name;
        if (name is null)
            throw new ArgumentException($"Tensor #{index} has a null name.", "tensors");
        if (name.Length == 0)
            throw new ArgumentException($"Tensor #{index} has an empty name.", "tensors");
        if (name == MetadataKey)
            throw new ArgumentException($"Tensor #{index} is named '{MetadataKey}', which the format reserves for metadata.", "tensors");
        if (!IsWellFormedUtf16(name))
            throw new ArgumentException($"Tensor #{index} '{name}' has a name that is not valid UTF-16 (a lone surrogate).", "tensors");
        if (!names.Add(name))
            throw new ArgumentException($"Tensor '{name}' (#{index}) has the same name as an earlier tensor.", "tensors");
        if (tensor.Shape is null)
            throw new ArgumentException($"Tensor '{name}' has a null shape.", "tensors");
        if (tensor.Data is null)
            throw new ArgumentException($"Tensor '{name}' has null data.", "tensors");

        // The element count, saturated above int.MaxValue (dimensions are ints, so one multiplication of a
        // value not above int.MaxValue cannot overflow long); a zero dimension makes it 0 whatever came before.
        long product = 1;
        bool zero = false;
        foreach (int dim in tensor.Shape)
        {
            if (dim < 0)
                throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape {ShapeText.Format(tensor.Shape)}.", "tensors");
            if (dim == 0)
                zero = true;
            else if (product <= int.MaxValue)
                product *= dim;
        }
        if (zero)
            product = 0;
        if (product != tensor.Data.Length)
        {
            string count = product > int.MaxValue ? "more than int.MaxValue" : product.ToString(CultureInfo.InvariantCulture);
            throw new ArgumentException(
                $"Tensor '{name}' has shape {ShapeText.Format(tensor.Shape)} ({count} elements) but {tensor.Data.Length} data elements.",
                "tensors");
        }
    }

    private static byte[] BuildHeader(List<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartObject();
            if (metadata is not null && metadata.Count > 0)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (KeyValuePair<string, string> pair in metadata)
                    writer.WriteString(pair.Key, pair.Value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (NamedTensor tensor in tensors)
            {
                long end = offset + (long)tensor.Data.Length * sizeof(float);
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (int dim in tensor.Shape)
                    writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }
            writer.WriteEndObject();
        }

        int length = buffer.WrittenCount;
        int padded = checked((length + 7) / 8 * 8);
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }

    private static void WriteF32(FileStream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            for (int start = 0; start < data.Length; start += DirectChunk)
            {
                int count = Math.Min(DirectChunk, data.Length - start);
                stream.Write(MemoryMarshal.AsBytes(data.AsSpan(start, count)));
            }
            return;
        }

        int[] scratch = new int[Math.Min(ConversionChunk, data.Length)];
        for (int start = 0; start < data.Length; start += ConversionChunk)
        {
            int count = Math.Min(ConversionChunk, data.Length - start);
            Span<int> bits = scratch.AsSpan(0, count);
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(data.AsSpan(start, count)), bits);
            stream.Write(MemoryMarshal.AsBytes(bits));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception is the one that matters.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Read
    // ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Reads every tensor of the safetensors file at <paramref name="path"/>, in the order of their data
    /// offsets (the order <see cref="Write"/> used). F32, F16 (IEEE half) and BF16 tensors are returned as float.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The tensors in file order.</returns>
    /// <exception cref="InvalidDataException">
    /// The file is not a well-formed safetensors file of F32/F16/BF16 tensors: truncated, an absurd header
    /// length, a header that is not UTF-8 JSON object of well-formed entries, offsets that are not contiguous
    /// or do not cover the data exactly, a shape that does not match the byte count, an unsupported dtype, a
    /// tensor of more elements than an array can hold, or duplicate names. The message says what and where.
    /// </exception>
    /// <exception cref="IOException">The file cannot be opened or read (for example, it does not exist).</exception>
    public static IReadOnlyList<NamedTensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = OpenRead(path);
        Header header = ReadHeader(stream, path);

        var result = new NamedTensor[header.Entries.Count];
        byte[]? scratch = null;
        for (int i = 0; i < result.Length; i++)
        {
            Entry entry = header.Entries[i];
            float[] data = new float[entry.Count];
            try
            {
                if (entry.DType == DType.F32)
                    ReadF32(stream, data);
                else
                    ReadHalfWidth(stream, data, entry.DType, scratch ??= new byte[ConversionChunk * 2]);
            }
            catch (EndOfStreamException ex)
            {
                throw Malformed(path, $"the file ended inside the data of tensor '{entry.Name}' (was it changed while being read?)", ex);
            }
            result[i] = new NamedTensor(entry.Name, entry.Shape, data);
        }
        return result;
    }

    /// <summary>
    /// Reads the <c>__metadata__</c> string map of the safetensors file at <paramref name="path"/> (empty when the
    /// file has none), after validating the header as <see cref="Read"/> does; the tensor data is not read.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The metadata keys and values.</returns>
    /// <exception cref="InvalidDataException">The file is malformed, as for <see cref="Read"/>.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = OpenRead(path);
        return ReadHeader(stream, path).Metadata;
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);

    private static void ReadF32(FileStream stream, float[] data)
    {
        for (int start = 0; start < data.Length; start += DirectChunk)
        {
            int count = Math.Min(DirectChunk, data.Length - start);
            Span<float> part = data.AsSpan(start, count);
            stream.ReadExactly(MemoryMarshal.AsBytes(part));
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(part);
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
        }
    }

    private static void ReadHalfWidth(FileStream stream, float[] data, DType dtype, byte[] scratch)
    {
        for (int start = 0; start < data.Length; start += ConversionChunk)
        {
            int count = Math.Min(ConversionChunk, data.Length - start);
            Span<byte> bytes = scratch.AsSpan(0, count * 2);
            stream.ReadExactly(bytes);
            Span<ushort> halves = MemoryMarshal.Cast<byte, ushort>(bytes);
            if (!BitConverter.IsLittleEndian)
                BinaryPrimitives.ReverseEndianness(halves, halves);
            Span<float> destination = data.AsSpan(start, count);
            if (dtype == DType.F16)
            {
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BitConverter.UInt16BitsToHalf(halves[i]);
            }
            else
            {
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(halves[i] << 16);
            }
        }
    }

    /// <summary>Reads and validates the length prefix and the header; leaves the stream at the data.</summary>
    private static Header ReadHeader(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Malformed(path, $"the file is {fileLength} bytes long, shorter than the 8-byte header length that starts the format");

        Span<byte> prefix = stackalloc byte[8];
        byte[] headerBytes;
        try
        {
            stream.ReadExactly(prefix);
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (n > MaxHeaderSize)
                throw Malformed(path, $"the header length (bytes 0-7) is {n}, more than the {MaxHeaderSize} bytes allowed");
            if ((long)n > fileLength - 8)
                throw Malformed(path, $"the header length (bytes 0-7) is {n} but only {fileLength - 8} bytes follow it: the file is truncated");
            headerBytes = new byte[(int)n];
            stream.ReadExactly(headerBytes);
        }
        catch (EndOfStreamException ex)
        {
            throw Malformed(path, "the file ended inside the header (was it changed while being read?)", ex);
        }

        Header header = ParseHeader(headerBytes, path);

        long dataLength = fileLength - 8 - headerBytes.Length;
        long covered = header.Entries.Count == 0 ? 0 : header.Entries[^1].End;
        if (covered > dataLength)
        {
            throw Malformed(path,
                $"the tensors need {covered} bytes of data (up to the end of tensor '{header.Entries[^1].Name}') " +
                $"but only {dataLength} bytes follow the header: the file is truncated");
        }
        if (covered < dataLength)
        {
            throw Malformed(path,
                $"the {dataLength - covered} byte(s) from data offset {covered} (file offset {8 + headerBytes.Length + covered}) " +
                "to the end of the file belong to no tensor: the offsets must cover the data exactly");
        }
        return header;
    }

    private static Header ParseHeader(byte[] headerBytes, string path)
    {
        int invalidAt = FindInvalidUtf8(headerBytes);
        if (invalidAt >= 0)
            throw Malformed(path, $"the header is not valid UTF-8 (header byte {invalidAt}, file offset {8 + invalidAt})");

        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes.AsMemory(),
                new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            throw Malformed(path, $"the header is not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            try
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw Malformed(path, $"the header is a JSON {Describe(root.ValueKind)}, not an object");

                var names = new HashSet<string>(StringComparer.Ordinal);
                bool sawMetadata = false;
                int index = 0;
                foreach (JsonProperty property in root.EnumerateObject())
                {
                    string name = property.Name;
                    if (name == MetadataKey)
                    {
                        if (sawMetadata)
                            throw Malformed(path, $"the header has '{MetadataKey}' twice");
                        sawMetadata = true;
                        ParseMetadata(property.Value, metadata, path);
                        continue;
                    }
                    if (!names.Add(name))
                        throw Malformed(path, $"the header has tensor '{name}' twice");
                    entries.Add(ParseEntry(name, property.Value, index++, path));
                }
            }
            catch (InvalidOperationException ex)
            {
                // System.Text.Json's way of saying a string does not decode (an escaped lone surrogate).
                throw Malformed(path, $"the header has a string that does not decode ({ex.Message})", ex);
            }
        }

        // File order is data-offset order; ties (empty tensors) keep header order.
        entries.Sort(static (a, b) =>
        {
            int c = a.Begin.CompareTo(b.Begin);
            if (c == 0) c = a.End.CompareTo(b.End);
            return c != 0 ? c : a.HeaderIndex.CompareTo(b.HeaderIndex);
        });

        long expected = 0;
        Entry? previous = null;
        foreach (Entry entry in entries)
        {
            if (entry.Begin > expected)
            {
                throw Malformed(path,
                    $"tensor '{entry.Name}' begins at data offset {entry.Begin} but the data before it ends at {expected}: " +
                    $"{entry.Begin - expected} byte(s) belong to no tensor");
            }
            if (entry.Begin < expected)
            {
                throw Malformed(path,
                    $"tensor '{entry.Name}' (data_offsets [{entry.Begin}, {entry.End}]) overlaps tensor '{previous!.Name}' " +
                    $"(data_offsets [{previous.Begin}, {previous.End}])");
            }
            expected = entry.End;
            previous = entry;
        }
        return new Header(entries, metadata);
    }

    private static void ParseMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return;
        if (value.ValueKind != JsonValueKind.Object)
            throw Malformed(path, $"'{MetadataKey}' is a JSON {Describe(value.ValueKind)}, not an object of strings");
        foreach (JsonProperty pair in value.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                throw Malformed(path,
                    $"metadata key '{pair.Name}' has a JSON {Describe(pair.Value.ValueKind)} value; metadata values must be strings");
            }
            if (!metadata.TryAdd(pair.Name, pair.Value.GetString()!))
                throw Malformed(path, $"metadata key '{pair.Name}' appears twice");
        }
    }

    private static Entry ParseEntry(string name, JsonElement value, int headerIndex, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Malformed(path, $"tensor '{name}': the entry is a JSON {Describe(value.ValueKind)}, not an object");

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype":
                    if (dtypeElement is not null) throw Malformed(path, $"tensor '{name}': field 'dtype' appears twice");
                    dtypeElement = field.Value;
                    break;
                case "shape":
                    if (shapeElement is not null) throw Malformed(path, $"tensor '{name}': field 'shape' appears twice");
                    shapeElement = field.Value;
                    break;
                case "data_offsets":
                    if (offsetsElement is not null) throw Malformed(path, $"tensor '{name}': field 'data_offsets' appears twice");
                    offsetsElement = field.Value;
                    break;
                default:
                    break; // unknown fields are ignored, as the reference reader does
            }
        }
        if (dtypeElement is not { } dtypeValue)
            throw Malformed(path, $"tensor '{name}': the entry has no 'dtype' field");
        if (shapeElement is not { } shapeValue)
            throw Malformed(path, $"tensor '{name}': the entry has no 'shape' field");
        if (offsetsElement is not { } offsetsValue)
            throw Malformed(path, $"tensor '{name}': the entry has no 'data_offsets' field");

        // dtype
        if (dtypeValue.ValueKind != JsonValueKind.String)
            throw Malformed(path, $"tensor '{name}': 'dtype' is a JSON {Describe(dtypeValue.ValueKind)}, not a string");
        string dtypeName = dtypeValue.GetString()!;
        (DType dtype, int elementSize) = dtypeName switch
        {
            "F32" => (DType.F32, 4),
            "F16" => (DType.F16, 2),
            "BF16" => (DType.BF16, 2),
            _ => throw Malformed(path,
                $"tensor '{name}' has {(IsKnownDtype(dtypeName) ? "dtype" : "unknown dtype")} '{dtypeName}'; " +
                "only F32, F16 and BF16 are supported"),
        };

        // shape
        if (shapeValue.ValueKind != JsonValueKind.Array)
            throw Malformed(path, $"tensor '{name}': 'shape' is a JSON {Describe(shapeValue.ValueKind)}, not an array");
        int rank = shapeValue.GetArrayLength();
        long[] dims = new long[rank];
        int d = 0;
        foreach (JsonElement dim in shapeValue.EnumerateArray())
        {
            dims[d] = ReadNonNegativeInteger(dim, name, $"shape[{d}]", path);
            d++;
        }

        // data_offsets
        if (offsetsValue.ValueKind != JsonValueKind.Array)
            throw Malformed(path, $"tensor '{name}': 'data_offsets' is a JSON {Describe(offsetsValue.ValueKind)}, not an array");
        if (offsetsValue.GetArrayLength() != 2)
            throw Malformed(path, $"tensor '{name}': 'data_offsets' has {offsetsValue.GetArrayLength()} entries, not 2 ([begin, end])");
        long begin = ReadNonNegativeInteger(offsetsValue[0], name, "data_offsets[0]", path);
        long end = ReadNonNegativeInteger(offsetsValue[1], name, "data_offsets[1]", path);
        if (end < begin)
            throw Malformed(path, $"tensor '{name}': data_offsets [{begin}, {end}] end before they begin");

        // shape against bytes
        long elements = 1;
        long bytes;
        try
        {
            foreach (long dim in dims)
                elements = checked(elements * dim);
            bytes = checked(elements * elementSize);
        }
        catch (OverflowException ex)
        {
            throw Malformed(path, $"tensor '{name}': the byte count of shape {ShapeText.Format(dims)} in {dtypeName} overflows", ex);
        }
        if (bytes != end - begin)
        {
            throw Malformed(path,
                $"tensor '{name}': shape {ShapeText.Format(dims)} of {dtypeName} needs {bytes} bytes but data_offsets " +
                $"[{begin}, {end}] hold {end - begin}");
        }
        if (elements > Array.MaxLength)
        {
            throw Malformed(path,
                $"tensor '{name}' has {elements} elements, more than a float array can hold ({Array.MaxLength}; " +
                "tensors of more than int.MaxValue elements are not supported)");
        }
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            if (dims[i] > int.MaxValue)
                throw Malformed(path, $"tensor '{name}': shape[{i}] = {dims[i]} is larger than int.MaxValue");
            shape[i] = (int)dims[i];
        }
        return new Entry(name, dtype, shape, (int)elements, begin, end, headerIndex);
    }

    private static long ReadNonNegativeInteger(JsonElement element, string tensor, string field, string path)
    {
        if (element.ValueKind != JsonValueKind.Number)
            throw Malformed(path, $"tensor '{tensor}': {field} is a JSON {Describe(element.ValueKind)}, not an integer");
        if (!element.TryGetInt64(out long value))
        {
            string raw = element.GetRawText();
            if (raw.Length > 40)
                raw = string.Concat(raw.AsSpan(0, 40), "...");
            throw Malformed(path, $"tensor '{tensor}': {field} = {raw} is not an integer in range");
        }
        if (value < 0)
            throw Malformed(path, $"tensor '{tensor}': {field} = {value} is negative");
        return value;
    }

    private static bool IsKnownDtype(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" or "F4" or "F6_E2M3" or "F6_E3M2"
            or "I16" or "U16" or "I32" or "U32" or "F64" or "I64" or "U64" or "C64" => true,
        _ => false,
    };

    // ------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------

    private static InvalidDataException Malformed(string path, string what, Exception? inner = null) =>
        new($"'{path}' is not a valid safetensors file: {what}.", inner);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    /// <summary>The index of the first byte of an invalid UTF-8 sequence, or -1 if the bytes are valid UTF-8.</summary>
    private static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
            return -1;
        int position = 0;
        while (position < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[position..], out _, out int consumed) != OperationStatus.Done)
                return position;
            position += consumed;
        }
        return position;
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }
}

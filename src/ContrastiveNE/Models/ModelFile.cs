using System.Buffers.Binary;
using System.Text;

namespace ContrastiveNE.Models;

/// <summary>
/// Reads and writes a trained network, with the settings needed to reproduce it, as one versioned binary file.
/// The format (all integers and floats little-endian; <c>string</c> = u32 byte count + UTF-8 bytes):
/// <code>
/// offset 0    8 bytes  magic "CNEMODEL" (ASCII)
///        8    u32      format version (this library writes 1 and reads 1)
///        12   u32      reserved, 0
///        16   u64      payload length L
///        24   L bytes  payload
///        24+L u32      CRC-32 (zlib/IEEE) of the payload; the file ends here
/// payload:
///   u32 M, then M × (string key, string value)          settings, e.g. the training options
///   u32 K, then K × (u8 kind, u32 in, u32 out)           layers in order; kind 1 = linear, 2 = ReLU
///   u32 P, then P × (string name, u32 rank, rank × u32 dim, float32 values[Π dim])
///                                                       parameters in network order (linear: weight [out, in] row-major, bias [out])
/// </code>
/// A reader rejects, with an <see cref="InvalidDataException"/> naming the file: a wrong magic (not a model file), a
/// version it does not know (e.g. one from a newer library), a file shorter or longer than the header says, a checksum
/// mismatch, and a payload inconsistent with itself. Writes go to a temporary file that is renamed over the target,
/// so a crash never leaves a half-written model behind. The same text lives in <c>docs/model-format.md</c>.
/// </summary>
internal static class ModelFile
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "CNEMODEL"u8;
    private const int HeaderLength = 24, TrailerLength = 4;
    private const byte LinearKind = 1, ReluKind = 2;

    /// <summary>Writes <paramref name="network"/> (linear and ReLU layers) and <paramref name="settings"/> to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="NotSupportedException">The network holds a layer type the format cannot describe.</exception>
    public static void Save(string path, Sequential network, IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(settings);

        using var payloadStream = new MemoryStream();
        using (var w = new BinaryWriter(payloadStream, Encoding.UTF8, leaveOpen: true))
        {
            var entries = settings.ToList();
            w.Write((uint)entries.Count);
            foreach (var (key, value) in entries) { WriteString(w, key); WriteString(w, value); }

            w.Write((uint)network.Layers.Count);
            foreach (var layer in network.Layers)
            {
                byte kind = layer switch
                {
                    Linear => LinearKind,
                    Relu => ReluKind,
                    _ => throw new NotSupportedException($"A {layer.GetType().Name} layer cannot be saved; the model format describes linear and ReLU layers."),
                };
                w.Write(kind);
                w.Write((uint)layer.InputDimension);
                w.Write((uint)layer.OutputDimension);
            }

            w.Write((uint)network.Parameters.Count);
            foreach (var layer in network.Layers)
            {
                if (layer is not Linear linear) continue;
                WriteParameter(w, linear.Weight, [linear.OutputDimension, linear.InputDimension]);
                WriteParameter(w, linear.Bias, [linear.OutputDimension]);
            }
        }
        byte[] payload = payloadStream.ToArray();

        var header = new byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), (ulong)payload.Length);
        var trailer = new byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.Compute(payload));

        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(header);
                file.Write(payload);
                file.Write(trailer);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } // best effort; the original error matters
            throw;
        }
    }

    /// <summary>Reads a model written by <see cref="Save"/>: the network (with threads = <paramref name="threads"/>) and its settings, in file order.</summary>
    /// <exception cref="InvalidDataException">The file is not a model file, is from an unknown format version, is truncated or corrupt.</exception>
    public static (Sequential Network, IReadOnlyList<KeyValuePair<string, string>> Settings) Load(string path, int threads = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = File.ReadAllBytes(path);
        var payload = CheckEnvelope(path, bytes);
        try
        {
            return ReadPayload(path, payload, threads);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or DecoderFallbackException)
        {
            throw new InvalidDataException($"Model file '{path}' is inconsistent: {e.Message}", e);
        }
    }

    private static ReadOnlyMemory<byte> CheckEnvelope(string path, byte[] bytes)
    {
        int prefix = Math.Min(bytes.Length, Magic.Length);
        if (!bytes.AsSpan(0, prefix).SequenceEqual(Magic[..prefix]) || bytes.Length == 0)
            throw new InvalidDataException($"'{path}' is not a ContrastiveNE model file (it does not start with \"CNEMODEL\").");
        if (bytes.Length < HeaderLength)
            throw new InvalidDataException($"Model file '{path}' is truncated: {bytes.Length} bytes, shorter than the {HeaderLength}-byte header.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version > FormatVersion)
            throw new InvalidDataException($"Model file '{path}' has format version {version}, newer than this library reads (up to {FormatVersion}); update ContrastiveNE to load it.");
        if (version == 0)
            throw new InvalidDataException($"Model file '{path}' has format version 0, which no ContrastiveNE release writes.");
        ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16));
        ulong expected = HeaderLength + payloadLength + TrailerLength;
        if (payloadLength > int.MaxValue || (ulong)bytes.Length < expected)
            throw new InvalidDataException($"Model file '{path}' is truncated: {bytes.Length} bytes, but its header announces {expected}.");
        if ((ulong)bytes.Length > expected)
            throw new InvalidDataException($"Model file '{path}' is corrupt: {bytes.Length - (long)expected} unexpected bytes after the checksum.");
        var payload = bytes.AsMemory(HeaderLength, (int)payloadLength);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(HeaderLength + (int)payloadLength));
        uint actual = Crc32.Compute(payload.Span);
        if (stored != actual)
            throw new InvalidDataException($"Model file '{path}' is corrupt: its checksum is {stored:X8}, but the contents give {actual:X8}.");
        return payload;
    }

    private static (Sequential, IReadOnlyList<KeyValuePair<string, string>>) ReadPayload(string path, ReadOnlyMemory<byte> payload, int threads)
    {
        var reader = new PayloadReader(path, payload.Span);
        int settingCount = reader.Count(2 * sizeof(uint), "settings");
        var settings = new List<KeyValuePair<string, string>>(settingCount);
        for (int i = 0; i < settingCount; i++) settings.Add(new(reader.String(), reader.String()));

        int layerCount = reader.Count(9, "layers");
        if (layerCount == 0) throw reader.Invalid("the network has no layers");
        var kinds = new (byte Kind, int In, int Out)[layerCount];
        for (int l = 0; l < layerCount; l++)
        {
            kinds[l] = (reader.Byte(), reader.Dimension(), reader.Dimension());
            if (kinds[l].Kind is not (LinearKind or ReluKind)) throw reader.Invalid($"layer {l} has unknown kind {kinds[l].Kind}");
            if (kinds[l].Kind == ReluKind && kinds[l].In != kinds[l].Out) throw reader.Invalid($"ReLU layer {l} maps width {kinds[l].In} to {kinds[l].Out}");
            if (l > 0 && kinds[l].In != kinds[l - 1].Out) throw reader.Invalid($"layer {l} takes width {kinds[l].In}, but layer {l - 1} produces {kinds[l - 1].Out}");
        }

        int parameterCount = reader.Count(8, "parameters");
        int expectedParameters = kinds.Count(k => k.Kind == LinearKind) * 2;
        if (parameterCount != expectedParameters) throw reader.Invalid($"it lists {parameterCount} parameters, but its layers have {expectedParameters}");
        var layers = new INetwork[layerCount];
        for (int l = 0; l < layerCount; l++)
        {
            var (kind, inDim, outDim) = kinds[l];
            if (kind == ReluKind) { layers[l] = new Relu(inDim); continue; }
            var (weightName, weight) = reader.Parameter([outDim, inDim]);
            var (biasName, bias) = reader.Parameter([outDim]);
            string prefix = weightName.EndsWith(".weight", StringComparison.Ordinal) ? weightName[..^".weight".Length] : weightName;
            if (biasName != prefix + ".bias") throw reader.Invalid($"parameter '{biasName}' does not pair with '{weightName}'");
            layers[l] = new Linear(inDim, outDim, weight, bias, prefix);
        }
        if (!reader.AtEnd) throw reader.Invalid("bytes remain after the last parameter");
        return (new Sequential(layers) { Threads = threads }, settings);
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteParameter(BinaryWriter w, Parameter parameter, int[] shape)
    {
        WriteString(w, parameter.Name);
        w.Write((uint)shape.Length);
        foreach (int dim in shape) w.Write((uint)dim);
        foreach (float v in parameter.Value) w.Write(v);
    }

    /// <summary>A bounds-checked little-endian cursor over the payload; every failure names the file.</summary>
    private ref struct PayloadReader(string path, ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public readonly InvalidDataException Invalid(string why) => new($"Model file '{path}' is inconsistent: {why}.");

        public byte Byte() => Take(1)[0];

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        /// <summary>An element count whose elements take at least <paramref name="minimumBytes"/> each, so it cannot exceed what remains.</summary>
        public int Count(int minimumBytes, string what)
        {
            uint count = UInt32();
            if (count > (uint)(_data.Length - _position) / (uint)minimumBytes) throw Invalid($"it announces {count} {what}, more than the file can hold");
            return (int)count;
        }

        public int Dimension()
        {
            uint value = UInt32();
            if (value == 0 || value > int.MaxValue) throw Invalid($"a layer width of {value}");
            return (int)value;
        }

        public string String()
        {
            uint length = UInt32();
            return Encoding.UTF8.GetString(Take(length));
        }

        public (string Name, float[] Values) Parameter(int[] shape)
        {
            string name = String();
            uint rank = UInt32();
            if (rank != shape.Length) throw Invalid($"parameter '{name}' has rank {rank}, expected {shape.Length}");
            long count = 1;
            for (int i = 0; i < shape.Length; i++)
            {
                uint dim = UInt32();
                if (dim != shape[i]) throw Invalid($"parameter '{name}' has dimension {i} of {dim}, but its layer needs {shape[i]}");
                count *= dim;
            }
            var bytes = Take((ulong)count * sizeof(float));
            var values = new float[count];
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
            return (name, values);
        }

        private ReadOnlySpan<byte> Take(ulong length)
        {
            if (length > (ulong)(_data.Length - _position)) throw Invalid($"it ends {length - (ulong)(_data.Length - _position)} bytes early");
            var slice = _data.Slice(_position, (int)length);
            _position += (int)length;
            return slice;
        }
    }
}

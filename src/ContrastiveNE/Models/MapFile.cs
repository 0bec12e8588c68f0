using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ContrastiveNE.Data;

namespace ContrastiveNE.Models;

/// <summary>
/// Reads and writes a fitted non-parametric map (<see cref="Embedding.CneMap"/>) as one versioned binary file, with
/// the conventions of the model format (<see cref="ModelFile"/>): all integers and floats little-endian,
/// <c>string</c> = u32 byte count + UTF-8 bytes.
/// <code>
/// offset 0    8 bytes  magic "CNEMAP" followed by two zero bytes
///        8    u32      format version (this library writes 1 and reads only 1)
///        12   u32      reserved, 0
///        16   u64      payload length L
///        24   L bytes  payload
///        24+L u32      CRC-32 (zlib/IEEE) of the payload; the file ends here
/// payload:
///   u32 M, then M × (string key, string value)     settings: the fit's options, Fit.Z and Fit.Temperature
///   u32 n, u32 D, then n·D float32                 training data, row-major
///   u32 n, u32 d, then n·d float32                 training positions, row-major
/// </code>
/// A reader rejects, with an <see cref="InvalidDataException"/> naming the file: a wrong magic, any version but 1, a
/// file shorter or longer than its header says, a checksum mismatch and a payload inconsistent with itself. Writes
/// are atomic (<see cref="AtomicFile"/>). The same text, with the reasons, lives in <c>docs/map-format.md</c>.
/// </summary>
internal static class MapFile
{
    /// <summary>The format version this library writes and the only one it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Settings key of the fit's learned Z.</summary>
    public const string ZKey = "Fit.Z";

    /// <summary>Settings key of the fit's temperature τ.</summary>
    public const string TemperatureKey = "Fit.Temperature";

    private static ReadOnlySpan<byte> Magic => "CNEMAP\0\0"u8;
    private const int HeaderLength = 24, TrailerLength = 4;

    /// <summary>Writes the map to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, Matrix data, Matrix positions, IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var settingsStream = new MemoryStream();
        using (var w = new BinaryWriter(settingsStream, Encoding.UTF8, leaveOpen: true))
        {
            var entries = settings.ToList();
            w.Write((uint)entries.Count);
            foreach (var (key, value) in entries) { WriteString(w, key); WriteString(w, value); }
        }
        long length = settingsStream.Length + 8 + 4L * data.ValueCount + 8 + 4L * positions.ValueCount;
        if (length > Array.MaxLength)
            throw new ArgumentException($"The map's payload would be {length} bytes; the map format holds at most {Array.MaxLength} (use fewer or narrower training rows).", nameof(data));
        var payload = new byte[length];
        settingsStream.ToArray().CopyTo(payload, 0);
        int at = (int)settingsStream.Length;
        at = WriteMatrix(payload, at, data);
        at = WriteMatrix(payload, at, positions);

        var header = new byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), (ulong)payload.Length);
        var trailer = new byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.Compute(payload));
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            stream.Write(payload);
            stream.Write(trailer);
        });
    }

    /// <summary>Reads a map written by <see cref="Save"/>: training data, positions and settings in file order.</summary>
    /// <exception cref="InvalidDataException">Not a map file, another format version, truncated or corrupt.</exception>
    public static (Matrix Data, Matrix Positions, IReadOnlyList<KeyValuePair<string, string>> Settings) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long size = new FileInfo(path).Length;
        if (size > Array.MaxLength)
            throw new InvalidDataException($"'{path}' is {size} bytes, larger than any map file this library writes.");
        byte[] bytes = File.ReadAllBytes(path);
        var payload = CheckEnvelope(path, bytes);
        var reader = new Reader(path, payload);
        int settingCount = reader.Count(2 * sizeof(uint), "settings");
        var settings = new List<KeyValuePair<string, string>>(settingCount);
        for (int i = 0; i < settingCount; i++) settings.Add(new(reader.String(), reader.String()));
        var data = reader.Matrix("training data");
        var positions = reader.Matrix("positions");
        if (positions.Rows != data.Rows) throw reader.Invalid($"it holds {data.Rows} training rows but {positions.Rows} positions");
        if (data.Rows < 1) throw reader.Invalid("it holds no training rows");
        if (!reader.AtEnd) throw reader.Invalid("bytes remain after the positions");
        return (data, positions, settings);
    }

    /// <summary>Whether the file starts with the magic bytes.</summary>
    public static bool HasMagic(string path)
    {
        Span<byte> start = stackalloc byte[8];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(start, 8, throwOnEndOfStream: false) == 8 && start.SequenceEqual(Magic);
    }

    /// <summary>A double written to round-trip.</summary>
    public static string FormatDouble(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A double setting that must be present.</summary>
    public static double ReadDouble(IReadOnlyList<KeyValuePair<string, string>> settings, string key, string path)
    {
        foreach (var (k, v) in settings)
            if (k == key && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
        throw new InvalidDataException($"Map file '{path}' is inconsistent: setting {key} is missing or not a finite number.");
    }

    private static ReadOnlySpan<byte> CheckEnvelope(string path, byte[] bytes)
    {
        int prefix = Math.Min(bytes.Length, Magic.Length);
        if (bytes.Length == 0 || !bytes.AsSpan(0, prefix).SequenceEqual(Magic[..prefix]))
            throw new InvalidDataException($"'{path}' is not a ContrastiveNE map file (it does not start with \"CNEMAP\").");
        if (bytes.Length < HeaderLength)
            throw new InvalidDataException($"Map file '{path}' is truncated: {bytes.Length} bytes, shorter than the {HeaderLength}-byte header.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != FormatVersion)
            throw new InvalidDataException(version > FormatVersion
                ? $"Map file '{path}' has format version {version}; this library reads version {FormatVersion} only: update ContrastiveNE to load it."
                : $"Map file '{path}' has format version {version}, which no ContrastiveNE release writes; this library reads version {FormatVersion}.");
        ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16));
        ulong expected = HeaderLength + payloadLength + TrailerLength;
        if (payloadLength > int.MaxValue || (ulong)bytes.Length < expected)
            throw new InvalidDataException($"Map file '{path}' is truncated: {bytes.Length} bytes, but its header announces {expected}.");
        if ((ulong)bytes.Length > expected)
            throw new InvalidDataException($"Map file '{path}' is corrupt: {bytes.Length - (long)expected} unexpected bytes after the checksum.");
        var payload = bytes.AsSpan(HeaderLength, (int)payloadLength);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(HeaderLength + (int)payloadLength));
        uint actual = Crc32.Compute(payload);
        if (stored != actual)
            throw new InvalidDataException($"Map file '{path}' is corrupt: its checksum is {stored:X8}, but the contents give {actual:X8}.");
        return payload;
    }

    private static int WriteMatrix(byte[] payload, int at, Matrix m)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(at), (uint)m.Rows);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(at + 4), (uint)m.Columns);
        at += 8;
        var target = payload.AsSpan(at, 4 * m.Data.Length);
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(m.Data.AsSpan()).CopyTo(target);
        else for (int i = 0; i < m.Data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(target[(4 * i)..], m.Data[i]);
        return at + target.Length;
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>A bounds-checked little-endian cursor over the payload; every failure names the file.</summary>
    private ref struct Reader(string path, ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public readonly InvalidDataException Invalid(string why) => new($"Map file '{path}' is inconsistent: {why}.");

        public int Count(int minimumBytes, string what)
        {
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
            if (count > (uint)(_data.Length - _position) / (uint)minimumBytes) throw Invalid($"it announces {count} {what}, more than the file can hold");
            return (int)count;
        }

        public string String()
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length));
            }
            catch (DecoderFallbackException)
            {
                throw Invalid("a setting is not valid UTF-8");
            }
        }

        public Matrix Matrix(string what)
        {
            uint rows = BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), columns = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
            ulong count = (ulong)rows * columns;
            if (columns == 0 || count > (ulong)(_data.Length - _position) / 4) throw Invalid($"its {what} ({rows} × {columns}) do not fit in the file");
            var bytes = Take(4 * count);
            var m = new Matrix((int)rows, (int)columns);
            if (BitConverter.IsLittleEndian) bytes.CopyTo(MemoryMarshal.AsBytes(m.Data.AsSpan()));
            else for (int i = 0; i < m.Data.Length; i++) m.Data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
            for (int i = 0; i < m.Data.Length; i++)
                if (!float.IsFinite(m.Data[i])) throw Invalid($"its {what} hold a non-finite value at row {i / columns}, column {i % columns}");
            return m;
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

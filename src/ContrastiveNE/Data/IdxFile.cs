using System.Buffers.Binary;
using System.IO.Compression;

namespace ContrastiveNE.Data;

/// <summary>
/// Reads and writes IDX files, the format MNIST and Fashion-MNIST are distributed in (<c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, each also gzipped). Gzip is recognised by its magic bytes, not by the name.
/// </summary>
/// <remarks>
/// An IDX file starts with two zero bytes, a type byte (0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32,
/// 0x0E float64) and the number of dimensions, followed by each dimension as a big-endian int32 and the values in
/// row-major order, big-endian. The first dimension is the row; the rest are flattened into the columns, and a
/// 3-D file (N × H × W) remembers its rows as H × W images.
/// </remarks>
public static class IdxFile
{
    /// <summary>Reads the values as a float32 matrix (a 1-D file as one column) with the image shape of a 3-D file.</summary>
    /// <param name="path">The file, gzipped or not.</param>
    public static LoadedData Read(string path)
    {
        var (dims, values) = ReadRaw(path);
        int rows = dims[0];
        int columns = 1;
        for (int d = 1; d < dims.Length; d++) columns *= dims[d];
        var matrix = new Matrix(rows, columns, values);
        DataChecks.EnsureFinite(matrix, path);
        ImageShape? shape = dims.Length == 3 ? new ImageShape(1, dims[1], dims[2]) : null;
        return new LoadedData(matrix, imageShape: shape);
    }

    /// <summary>Reads the values as a float32 matrix.</summary>
    /// <param name="path">The file, gzipped or not.</param>
    public static Matrix ReadMatrix(string path) => Read(path).Data;

    /// <summary>Reads class labels from a 1-D file (an <c>idx1</c> file) of integers.</summary>
    /// <param name="path">The file, gzipped or not.</param>
    public static int[] ReadLabels(string path)
    {
        var (dims, values) = ReadRaw(path);
        if (dims.Length != 1 && !(dims.Length == 2 && dims[1] == 1))
            throw DataError.Create(path, $"labels must be a 1-D IDX file (idx1), found {dims.Length} dimensions ({string.Join(" × ", dims)}).");
        var labels = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (v != MathF.Floor(v)) throw DataError.Create(path, $"the label {v} is not an integer.", i, 0);
            labels[i] = (int)v;
        }
        return labels;
    }

    /// <summary>
    /// Writes <paramref name="matrix"/> atomically as a 2-D IDX file, or 3-D when <paramref name="imageShape"/> (a
    /// single channel) is given: unsigned bytes when every value is a whole number in [0, 255], float32 otherwise.
    /// A name ending in <c>.gz</c> is gzipped.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="matrix">The values.</param>
    /// <param name="imageShape">The single-channel image layout of a row, or null.</param>
    public static void Write(string path, Matrix matrix, ImageShape? imageShape = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int[] dims = imageShape is { } s
            ? s.Channels == 1 && s.Size == matrix.Columns ? [matrix.Rows, s.Height, s.Width]
                : throw new ArgumentException($"IDX images have one channel of {matrix.Columns} values; {s} does not fit.", nameof(imageShape))
            : [matrix.Rows, matrix.Columns];
        WriteValues(path, dims, matrix.Data);
    }

    /// <summary>Writes class labels atomically as a 1-D IDX file (ubyte when all lie in [0, 255], int32 otherwise).</summary>
    /// <param name="path">The file; a name ending in <c>.gz</c> is gzipped.</param>
    /// <param name="labels">The labels.</param>
    public static void WriteLabels(string path, ReadOnlySpan<int> labels)
    {
        var values = new float[labels.Length];
        bool bytes = true;
        foreach (int l in labels) bytes &= l is >= 0 and <= 255;
        if (!bytes)
        {
            int[] copy = labels.ToArray();
            AtomicFile.Write(path, stream => WriteInts(path, stream, copy));
            return;
        }
        for (int i = 0; i < labels.Length; i++) values[i] = labels[i];
        WriteValues(path, [labels.Length], values);
    }

    private static void WriteInts(string path, Stream target, int[] labels)
    {
        using var stream = Wrap(path, target);
        Span<byte> head = stackalloc byte[8];
        head[0] = 0; head[1] = 0; head[2] = 0x0C; head[3] = 1;
        BinaryPrimitives.WriteInt32BigEndian(head[4..], labels.Length);
        stream.Write(head);
        var data = new byte[labels.Length * 4];
        for (int i = 0; i < labels.Length; i++) BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(i * 4), labels[i]);
        stream.Write(data);
    }

    private static void WriteValues(string path, int[] dims, float[] values)
    {
        bool bytes = true;
        foreach (float v in values) bytes &= v >= 0 && v <= 255 && v == MathF.Floor(v);
        AtomicFile.Write(path, target =>
        {
            using var stream = Wrap(path, target);
            var head = new byte[4 + 4 * dims.Length];
            head[2] = bytes ? (byte)0x08 : (byte)0x0D;
            head[3] = (byte)dims.Length;
            for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(head.AsSpan(4 + 4 * d), dims[d]);
            stream.Write(head);
            var data = new byte[bytes ? values.Length : values.Length * 4];
            if (bytes) for (int i = 0; i < values.Length; i++) data[i] = (byte)values[i];
            else for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleBigEndian(data.AsSpan(i * 4), values[i]);
            stream.Write(data);
        });
    }

    private static Stream Wrap(string path, Stream target)
        => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(target, CompressionLevel.Optimal, leaveOpen: true)
            : new NonClosing(target);

    private static (int[] Dims, float[] Values) ReadRaw(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int got = ReadFully(file, magic);
        file.Position = 0;
        bool gzip = got == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return Decode(stream, path, gzip);
        }
        catch (InvalidDataException e) when (gzip && !e.Data.Contains(DataError.FileKey))
        {
            throw DataError.Create(path, $"the gzip stream is damaged ({e.Message}).");
        }
    }

    private static (int[] Dims, float[] Values) Decode(Stream stream, string path, bool gzip)
    {
        Span<byte> head = stackalloc byte[4];
        int got = ReadFully(stream, head);
        if (got == 0) throw DataError.Create(path, "the file is empty.");
        if (got < 4 || head[0] != 0 || head[1] != 0)
            throw DataError.Create(path, "not an IDX file (it must start with two zero bytes, a type byte and the number of dimensions).");
        int size = head[2] switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 0 };
        if (size == 0)
            throw DataError.Create(path, $"unsupported IDX type byte 0x{head[2]:X2} (0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64).");
        int rank = head[3];
        if (rank == 0) throw DataError.Create(path, "the IDX header declares 0 dimensions.");
        var dimBytes = new byte[4 * rank];
        if (ReadFully(stream, dimBytes) < dimBytes.Length) throw DataError.Create(path, "the file is truncated inside the IDX header.");
        var dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * d));
            if (dims[d] <= 0) throw DataError.Create(path, $"dimension {d} of the IDX header is {dims[d]}; every dimension must be positive.");
            count *= dims[d];
            if (count * size > Array.MaxLength) throw DataError.Create(path, $"the IDX array ({string.Join(" × ", dims.Take(d + 1))}…) is too large to load.");
        }
        var data = new byte[count * size];
        int read = ReadFully(stream, data);
        if (read < data.Length)
            throw DataError.Create(path, $"the file is truncated: {string.Join(" × ", dims)} values of {size} byte(s) need {data.Length} data bytes, found {read}.");
        Span<byte> probe = stackalloc byte[1];
        if (ReadFully(stream, probe) > 0)
            throw DataError.Create(path, $"the file holds more bytes than its header's {string.Join(" × ", dims)} values; it is not a valid IDX file{(gzip ? " (after decompression)" : "")}.");

        var values = new float[count];
        var span = data.AsSpan();
        switch (head[2])
        {
            case 0x08: for (int i = 0; i < values.Length; i++) values[i] = span[i]; break;
            case 0x09: for (int i = 0; i < values.Length; i++) values[i] = (sbyte)span[i]; break;
            case 0x0B: for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt16BigEndian(span[(2 * i)..]); break;
            case 0x0C: for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32BigEndian(span[(4 * i)..]); break;
            case 0x0D: for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleBigEndian(span[(4 * i)..]); break;
            default: for (int i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(span[(8 * i)..]); break;
        }
        return (dims, values);
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Lets a writer be disposed without closing the atomic writer's stream.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}

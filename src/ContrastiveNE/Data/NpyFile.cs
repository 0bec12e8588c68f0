using System.Buffers.Binary;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;

namespace ContrastiveNE.Data;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0).
/// </summary>
/// <remarks>
/// Readable element types: bool (<c>b1</c>), <c>u1 i1 u2 i2 u4 i4 u8 i8 f2 f4 f8</c>, in either byte order;
/// values are converted to float32. Arrays of any rank ≥ 1 are read, higher ranks flattened per row.
/// Fortran-ordered 2-D arrays are transposed into row-major order.
/// Every problem raises a <see cref="InvalidDataException"/> (an <see cref="InvalidDataException"/>) naming the
/// file and, for bad values, the row and column.
/// </remarks>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>
    /// Reads an array as a float32 matrix of finite values: 2-D as it is, 1-D as one column, N-D flattened per row
    /// (an N × 28 × 28 array becomes N × 784, see <see cref="Read(string)"/> for the image shape).
    /// </summary>
    /// <param name="path">The <c>.npy</c> file.</param>
    public static Matrix ReadMatrix(string path) => Read(path).Data;

    /// <summary>Reads an array as a float32 matrix (see <see cref="ReadMatrix(string)"/>) from a stream, e.g. an embedded resource.</summary>
    /// <param name="stream">Positioned at the start of the <c>.npy</c> content.</param>
    /// <param name="name">How the source is named in error messages.</param>
    public static Matrix ReadMatrix(Stream stream, string name) => Read(stream, name).Data;

    /// <summary>
    /// Reads an array as a float32 matrix and, for image arrays, the layout of a row: N × H × W gives 1 × H × W;
    /// N × C × H × W (C ≤ 4) gives C × H × W; N × H × W × C (C ≤ 4, channels last) is reordered to channel-major
    /// rows and gives C × H × W.
    /// </summary>
    /// <param name="path">The <c>.npy</c> file.</param>
    public static LoadedData Read(string path)
    {
        using var stream = OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads an array as <see cref="Read(string)"/> does, from a stream.</summary>
    /// <param name="stream">Positioned at the start of the <c>.npy</c> content.</param>
    /// <param name="name">How the source is named in error messages.</param>
    public static LoadedData Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = ReadHeader(stream, name, matrix: true);
        var shape = header.Shape;
        int rows = shape[0];
        int columns = 1;
        for (int d = 1; d < shape.Length; d++) columns = checked(columns * shape[d]);
        // Past one array (or, for other types than float32, past one array of their bytes) the values are read a block at a time.
        if (Matrix.IsChunkedSize(rows, columns) || header.Count * header.Type.Size > Array.MaxLength) return ReadChunked(stream, name, header, rows, columns);
        var values = new float[checked(rows * columns)];
        // Native float32 (the common case) is read straight into the values: no second copy of the data in bytes.
        // Read in pieces: the values of 1M × 784 fit one float array, but not their 3.1 GB in one byte span.
        if (header.Type is { Kind: 'f', Size: 4, SwapBytes: false })
        {
            for (long at = 0; at < values.Length; at += Piece)
                ReadData(stream, name, header, MemoryMarshal.AsBytes(values.AsSpan((int)at, (int)Math.Min(Piece, values.Length - at))), at * 4);
        }
        else
        {
            var data = ByteBuffer(header, name);
            ReadData(stream, name, header, data);
            new NpyArray(shape, header.FortranOrder, header.Type, data).Decode<float>(values);
        }
        if (header.FortranOrder && shape.Length == 2) values = TransposeFortran(values, rows, columns);
        else if (header.FortranOrder && shape.Length > 2)
            throw DataError.Create(name, $"a Fortran-ordered array of {shape.Length} dimensions is not supported; save it with numpy.ascontiguousarray first.");
        ImageShape? image = null;
        if (shape.Length == 3) image = new ImageShape(1, shape[1], shape[2]);
        else if (shape.Length == 4 && shape[1] <= 4) image = new ImageShape(shape[1], shape[2], shape[3]);
        else if (shape.Length == 4 && shape[3] <= 4)
        {
            image = new ImageShape(shape[3], shape[1], shape[2]);
            values = ChannelsFirst(values, rows, shape[1] * shape[2], shape[3]);
        }
        var matrix = new Matrix(rows, columns, values);
        DataChecks.EnsureFinite(matrix, name);
        return new LoadedData(matrix, imageShape: image);
    }

    /// <summary>Reads integer class labels: a 1-D array (or an n × 1 array) of integral values.</summary>
    /// <param name="path">The <c>.npy</c> file.</param>
    public static int[] ReadLabels(string path)
    {
        using var stream = OpenRead(path);
        return ReadLabels(stream, path);
    }

    /// <summary>Reads integer class labels from a stream, e.g. an embedded resource.</summary>
    /// <param name="stream">Positioned at the start of the <c>.npy</c> content.</param>
    /// <param name="name">How the source is named in error messages.</param>
    public static int[] ReadLabels(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var array = ReadArray(stream, name);
        if (array.Shape.Length > 2 || (array.Shape.Length == 2 && array.Shape[1] != 1))
            throw DataError.Create(name, $"labels must be a 1-D array (or n × 1), found shape ({string.Join(", ", array.Shape)}).");
        // Doubles hold every integer up to 2^53 exactly, so integral labels of any dtype survive the trip.
        var values = new double[array.Shape[0]];
        array.Decode<double>(values);
        var labels = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue)
                throw DataError.Create(name, $"the label {v} is not an integer in the 32-bit range.", i, 0);
            labels[i] = (int)v;
        }
        return labels;
    }

    /// <summary>Writes a matrix as a little-endian float32 (<c>&lt;f4</c>) 2-D array, atomically.</summary>
    public static void Write(string path, Matrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        AtomicFile.Write(path, s => Write(s, matrix));
    }

    /// <summary>Writes a matrix as a little-endian float32 (<c>&lt;f4</c>) 2-D array to a stream.</summary>
    public static void Write(Stream stream, Matrix matrix)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        WriteArray(stream, "<f4", $"({matrix.Rows}, {matrix.Columns})", []);
        // Chunk by chunk (one chunk when contiguous), in pieces: the bytes of 1M × 784 floats exceed one span.
        for (int c = 0; c < matrix.ChunkCount; c++)
        {
            var values = matrix.Chunk(c);
            for (int at = 0; at < values.Length; at += Piece)
                stream.Write(MemoryMarshal.AsBytes(values.Slice(at, Math.Min(Piece, values.Length - at))));
        }
    }

    /// <summary>Values per read or write of float32 data: 2²⁸ (1 GiB of bytes, below a span's 2³¹).</summary>
    private const int Piece = 1 << 28;

    /// <summary>
    /// Reads an array of more values than one .NET array holds straight into the chunks of a chunked
    /// <see cref="Matrix"/>: native float32 without a copy, other types decoded a block of rows at a time.
    /// </summary>
    private static LoadedData ReadChunked(Stream stream, string name, NpyHeaderInfo header, int rows, int columns)
    {
        var shape = header.Shape;
        if (header.FortranOrder)
            throw DataError.Create(name, $"a Fortran-ordered array this large ({(long)rows * columns:N0} values, read in blocks of rows) is not supported; save it in C order with numpy.ascontiguousarray first.");
        bool channelsLast = shape.Length == 4 && shape[1] > 4 && shape[3] <= 4;
        ImageShape? image = shape.Length switch
        {
            3 => new ImageShape(1, shape[1], shape[2]),
            4 when shape[1] <= 4 => new ImageShape(shape[1], shape[2], shape[3]),
            4 when shape[3] <= 4 => new ImageShape(shape[3], shape[1], shape[2]),
            _ => null,
        };
        var matrix = new Matrix(rows, columns);
        int size = header.Type.Size;
        bool native = header.Type is { Kind: 'f', Size: 4, SwapBytes: false };
        long read = 0; // data bytes read so far (for the truncation message)
        // Non-native types: whole rows of about 2²⁰ values at a time through one byte buffer.
        int blockValues = columns * Math.Max(1, (1 << 20) / Math.Max(1, columns));
        byte[] buffer = native ? [] : new byte[(long)blockValues * size];
        var rowScratch = channelsLast ? new float[columns] : [];
        for (int c = 0; c < matrix.ChunkCount; c++)
        {
            var target = matrix.Chunk(c);
            if (native)
            {
                for (int at = 0; at < target.Length; at += Piece)
                {
                    var piece = target.Slice(at, Math.Min(Piece, target.Length - at));
                    ReadData(stream, name, header, MemoryMarshal.AsBytes(piece), read);
                    read += 4L * piece.Length;
                }
            }
            else
            {
                for (int offset = 0; offset < target.Length; offset += blockValues)
                {
                    int count = Math.Min(blockValues, target.Length - offset);
                    var bytes = count == blockValues ? buffer : new byte[(long)count * size];
                    ReadData(stream, name, header, bytes, read);
                    read += bytes.Length;
                    new NpyArray(shape, false, header.Type, bytes).Decode<float>(target.Slice(offset, count));
                }
            }
            if (channelsLast)
            {
                int pixels = shape[1] * shape[2], channels = shape[3];
                for (int r = 0; r < target.Length / columns; r++)
                {
                    var row = target.Slice(r * columns, columns);
                    row.CopyTo(rowScratch);
                    for (int p = 0; p < pixels; p++)
                        for (int ch = 0; ch < channels; ch++) row[ch * pixels + p] = rowScratch[p * channels + ch];
                }
            }
        }
        DataChecks.EnsureFinite(matrix, name);
        return new LoadedData(matrix, imageShape: image);
    }

    /// <summary>Writes integer labels as a little-endian int32 (<c>&lt;i4</c>) 1-D array to a stream.</summary>
    public static void WriteLabels(Stream stream, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        WriteArray(stream, "<i4", $"({labels.Length},)", MemoryMarshal.AsBytes(labels));
    }

    /// <summary>Writes integer labels as a little-endian int32 (<c>&lt;i4</c>) 1-D array, atomically.</summary>
    public static void WriteLabels(string path, ReadOnlySpan<int> labels)
    {
        int[] copy = labels.ToArray();
        AtomicFile.Write(path, s => WriteArray(s, "<i4", $"({copy.Length},)", MemoryMarshal.AsBytes(copy.AsSpan())));
    }

    /// <summary>
    /// Writes a row-major <paramref name="rows"/> × <paramref name="columns"/> table of integers (e.g. neighbour
    /// indices) as a little-endian int32 (<c>&lt;i4</c>) 2-D array, atomically.
    /// </summary>
    public static void WriteInt32(string path, int rows, int columns, ReadOnlySpan<int> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (values.Length != (long)rows * columns)
            throw new ArgumentException($"A {rows} × {columns} table needs {(long)rows * columns} values, got {values.Length}.", nameof(values));
        int[] copy = values.ToArray();
        AtomicFile.Write(path, s => WriteArray(s, "<i4", $"({rows}, {columns})", MemoryMarshal.AsBytes(copy.AsSpan())));
    }

    private static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static void WriteArray(Stream stream, string descr, string shape, ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Writing .npy files needs a little-endian machine.");
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // Version 1.0 unless the header exceeds its 16-bit length field. The whole preamble is padded with spaces
        // to a multiple of 64 bytes and ends in '\n', as NumPy writes it, so the data starts aligned.
        int version = dict.Length + 1 + 10 > ushort.MaxValue ? 2 : 1;
        int preamble = version == 1 ? 10 : 12;
        int total = (preamble + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - preamble - 1) + "\n";
        Span<byte> head = stackalloc byte[12];
        Magic.CopyTo(head);
        head[6] = (byte)version;
        head[7] = 0;
        if (version == 1) BinaryPrimitives.WriteUInt16LittleEndian(head[8..], (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(head[8..], (uint)header.Length);
        stream.Write(head[..preamble]);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }

    private static float[] TransposeFortran(float[] values, int rows, int columns)
    {
        // Fortran order stores column j contiguously: element (i, j) is at j * rows + i.
        var result = new float[values.Length];
        for (int j = 0; j < columns; j++)
            for (int i = 0; i < rows; i++)
                result[i * columns + j] = values[j * rows + i];
        return result;
    }

    /// <summary>Reorders rows of H·W pixels × C channels (channels last) into C planes of H·W pixels.</summary>
    private static float[] ChannelsFirst(float[] values, int rows, int pixels, int channels)
    {
        var result = new float[values.Length];
        int size = pixels * channels;
        for (int r = 0; r < rows; r++)
            for (int p = 0; p < pixels; p++)
                for (int c = 0; c < channels; c++)
                    result[r * size + c * pixels + p] = values[r * size + p * channels + c];
        return result;
    }

    /// <summary>Reads and checks the preamble and header; <paramref name="matrix"/>: the array may exceed one .NET array (it is read in row chunks).</summary>
    private static NpyHeaderInfo ReadHeader(Stream stream, string name, bool matrix = false)
    {
        Span<byte> pre = stackalloc byte[12];
        int got = ReadFully(stream, pre[..10]);
        if (got < 6 || !pre[..6].SequenceEqual(Magic))
            throw DataError.Create(name, "not a .npy file (the magic string \\x93NUMPY is missing).");
        if (got < 10) throw DataError.Create(name, "the file is truncated inside the .npy preamble.");
        int major = pre[6];
        long headerLength;
        if (major == 1) headerLength = BinaryPrimitives.ReadUInt16LittleEndian(pre[8..]);
        else if (major is 2 or 3)
        {
            if (ReadFully(stream, pre[10..12]) < 2) throw DataError.Create(name, "the file is truncated inside the .npy preamble.");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(pre[8..]);
        }
        else throw DataError.Create(name, $"unsupported .npy format version {major}.{pre[7]} (1.0, 2.0 and 3.0 are supported).");
        if (headerLength > 1 << 20) throw DataError.Create(name, $"the .npy header claims {headerLength} bytes, which is not plausible.");
        var headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes) < headerLength)
            throw DataError.Create(name, "the file is truncated inside the .npy header.");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortran, shape) = NpyHeader.Parse(header, name);
        var type = NpyElementType.Parse(descr, name);

        if (shape.Length == 0)
            throw DataError.Create(name, "expected an array of at least one dimension, found a scalar.");
        foreach (long extent in shape)
            if (extent == 0) throw DataError.Create(name, $"the array is empty (shape ({string.Join(", ", shape)})).");
        long count = 1, rowValues = 1;
        foreach (long extent in shape) count = extent > long.MaxValue / Math.Max(1, count) ? long.MaxValue : count * extent;
        for (int d = 1; d < shape.Length; d++) rowValues = shape[d] > long.MaxValue / rowValues ? long.MaxValue : rowValues * shape[d];
        // A matrix read in row chunks needs only the row count and one row to fit an int; anything else one array of
        // values (the bytes of a type decoded after reading are checked where they are allocated, see ByteBuffer).
        bool fits = matrix
            ? shape[0] <= int.MaxValue && rowValues * Math.Max(type.Size, sizeof(float)) <= Array.MaxLength
            : shape[0] <= int.MaxValue && count <= Array.MaxLength;
        if (!fits)
            throw DataError.Create(name, $"the array of shape ({string.Join(", ", shape)}) is too large to load.");
        return new NpyHeaderInfo(Array.ConvertAll(shape, e => (int)e), fortran, type, descr, count);
    }

    private static NpyArray ReadArray(Stream stream, string name)
    {
        var header = ReadHeader(stream, name);
        var data = ByteBuffer(header, name);
        ReadData(stream, name, header, data);
        return new NpyArray(header.Shape, header.FortranOrder, header.Type, data);
    }

    /// <summary>A byte array for the whole data of a type that is decoded after reading (at most 2³¹ bytes).</summary>
    private static byte[] ByteBuffer(NpyHeaderInfo header, string name)
    {
        if (header.Count * header.Type.Size > Array.MaxLength)
            throw DataError.Create(name, $"the array of shape ({string.Join(", ", header.Shape)}) of '{header.Descr}' is too large to load in that type; save it as float32 ('<f4').");
        return new byte[header.Count * header.Type.Size];
    }

    /// <summary>Fills <paramref name="data"/> from the stream; <paramref name="before"/> data bytes were read before it (for the message).</summary>
    private static void ReadData(Stream stream, string name, NpyHeaderInfo header, Span<byte> data, long before = 0)
    {
        int read = ReadFully(stream, data);
        if (read < data.Length)
            throw DataError.Create(name, $"the file is truncated: the shape ({string.Join(", ", header.Shape)}) of '{header.Descr}' needs {header.Count * header.Type.Size} data bytes, found {before + read}.");
    }

    private sealed record NpyHeaderInfo(int[] Shape, bool FortranOrder, NpyElementType Type, string Descr, long Count);

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

    private sealed record NpyArray(int[] Shape, bool FortranOrder, NpyElementType Type, byte[] Data)
    {
        public void Decode<TOut>(Span<TOut> output) where TOut : struct, INumberBase<TOut>
        {
            if (Type.SwapBytes) SwapInPlace(Data, Type.Size);
            switch (Type.Kind, Type.Size)
            {
                case ('b', 1): Convert<byte, TOut>(output, bools: true); break;
                case ('u', 1): Convert<byte, TOut>(output); break;
                case ('i', 1): Convert<sbyte, TOut>(output); break;
                case ('u', 2): Convert<ushort, TOut>(output); break;
                case ('i', 2): Convert<short, TOut>(output); break;
                case ('u', 4): Convert<uint, TOut>(output); break;
                case ('i', 4): Convert<int, TOut>(output); break;
                case ('u', 8): Convert<ulong, TOut>(output); break;
                case ('i', 8): Convert<long, TOut>(output); break;
                case ('f', 2): Convert<Half, TOut>(output); break;
                case ('f', 4): Convert<float, TOut>(output); break;
                case ('f', 8): Convert<double, TOut>(output); break;
                default: throw new InvalidOperationException("unreachable: element types are validated when parsed");
            }
        }

        private void Convert<TIn, TOut>(Span<TOut> output, bool bools = false)
            where TIn : unmanaged, INumberBase<TIn> where TOut : struct, INumberBase<TOut>
        {
            var input = MemoryMarshal.Cast<byte, TIn>(Data.AsSpan());
            // NumPy treats any non-zero byte of a bool array as true.
            if (bools) for (int i = 0; i < output.Length; i++) output[i] = TIn.IsZero(input[i]) ? TOut.Zero : TOut.One;
            else TensorPrimitives.ConvertTruncating(input, output); // vectorised for the common pairs
        }

        private static void SwapInPlace(byte[] data, int size)
        {
            for (int i = 0; i < data.Length; i += size) data.AsSpan(i, size).Reverse();
        }
    }
}

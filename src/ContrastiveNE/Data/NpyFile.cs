using System.Buffers.Binary;
using System.Text;

namespace ContrastiveNE.Data;

/// <summary>Reads and writes NumPy <c>.npy</c> files.</summary>
public static class NpyFile
{
    /// <summary>Reads a 2-D (or 1-D, as one column) array as a float32 matrix.</summary>
    public static Matrix ReadMatrix(string path)
    {
        var (shape, values) = Read(path);
        return shape.Length switch
        {
            1 => new Matrix(shape[0], 1, values),
            2 => new Matrix(shape[0], shape[1], values),
            _ => throw new InvalidDataException($"{path}: expected a 1-D or 2-D array, found {shape.Length} dimensions."),
        };
    }

    /// <summary>Reads a 1-D integer array of labels.</summary>
    public static int[] ReadLabels(string path)
    {
        var (shape, values) = Read(path);
        if (shape.Length != 1 && !(shape.Length == 2 && shape[1] == 1))
            throw new InvalidDataException($"{path}: labels must be a 1-D array.");
        var labels = new int[values.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = (int)values[i];
        return labels;
    }

    private static (int[] Shape, float[] Values) Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file (bad magic).");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int start = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, start, headerLength);
        string descr = Between(header, "'descr':", ",").Trim().Trim('\'');
        string shapeText = Between(header, "'shape':", ")").Trim().TrimStart('(');
        int[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var values = new float[count];
        var data = bytes.AsSpan(start + headerLength);
        switch (descr)
        {
            case "|u1": for (long i = 0; i < count; i++) values[i] = data[(int)i]; break;
            case "<f4": for (long i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(int)(i * 4)..]); break;
            case "<i8": for (long i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(data[(int)(i * 8)..]); break;
            default: throw new InvalidDataException($"{path}: unsupported dtype '{descr}'.");
        }
        return (shape, values);
    }

    private static string Between(string s, string from, string to)
    {
        int a = s.IndexOf(from, StringComparison.Ordinal) + from.Length;
        int b = s.IndexOf(to, a, StringComparison.Ordinal);
        return s[a..b];
    }
}

using System.Buffers.Binary;
using System.Text;

namespace ContrastiveNE.Tests.Data;

/// <summary>Builds .npy bytes by hand, independently of the library's writer, for any dtype and format version.</summary>
internal static class NpyBuilder
{
    public static byte[] Build(string descr, string shape, byte[] data, int version = 1, bool fortran = false, string? headerOverride = null)
    {
        string dict = headerOverride ?? $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int preamble = version == 1 ? 10 : 12;
        int total = (preamble + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - preamble - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.Add((byte)version);
        bytes.Add(0);
        if (version == 1) { var l = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(l, (ushort)header.Length); bytes.AddRange(l); }
        else { var l = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(l, (uint)header.Length); bytes.AddRange(l); }
        bytes.AddRange((version == 3 ? Encoding.UTF8 : Encoding.ASCII).GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    /// <summary>Encodes <paramref name="values"/> in the element type <paramref name="descr"/> (e.g. "&gt;i2").</summary>
    public static byte[] Encode(string descr, double[] values)
    {
        bool big = descr[0] == '>';
        char kind = descr[1];
        int size = int.Parse(descr[2..]);
        var data = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            var span = data.AsSpan(i * size, size);
            double v = values[i];
            switch (kind, size)
            {
                case ('b', 1): span[0] = v != 0 ? (byte)1 : (byte)0; break;
                case ('u', 1): span[0] = (byte)v; break;
                case ('i', 1): span[0] = unchecked((byte)(sbyte)v); break;
                case ('u', 2): BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)v); break;
                case ('i', 2): BinaryPrimitives.WriteInt16LittleEndian(span, (short)v); break;
                case ('u', 4): BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)v); break;
                case ('i', 4): BinaryPrimitives.WriteInt32LittleEndian(span, (int)v); break;
                case ('u', 8): BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)v); break;
                case ('i', 8): BinaryPrimitives.WriteInt64LittleEndian(span, (long)v); break;
                case ('f', 2): BinaryPrimitives.WriteHalfLittleEndian(span, (Half)v); break;
                case ('f', 4): BinaryPrimitives.WriteSingleLittleEndian(span, (float)v); break;
                case ('f', 8): BinaryPrimitives.WriteDoubleLittleEndian(span, v); break;
                default: throw new ArgumentException(descr);
            }
            if (big) span.Reverse();
        }
        return data;
    }
}

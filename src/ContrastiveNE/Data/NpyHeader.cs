using System.Globalization;

namespace ContrastiveNE.Data;

/// <summary>Parses the Python dict literal of a <c>.npy</c> header, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>.</summary>
internal static class NpyHeader
{
    public static (string Descr, bool FortranOrder, long[] Shape) Parse(string header, string name)
    {
        string text = header.Trim();
        if (text.Length < 2 || text[0] != '{' || text[^1] != '}')
            throw Bad(name, header, "it is not a dict literal");
        string descr = ParseString(ValueAfter(text, "descr", name, header), name, header);
        string fortranText = ValueAfter(text, "fortran_order", name, header);
        bool fortran = fortranText.StartsWith("True", StringComparison.Ordinal) ? true
            : fortranText.StartsWith("False", StringComparison.Ordinal) ? false
            : throw Bad(name, header, "'fortran_order' is neither True nor False");
        string shapeText = ValueAfter(text, "shape", name, header);
        if (!shapeText.StartsWith('(')) throw Bad(name, header, "'shape' is not a tuple");
        int close = shapeText.IndexOf(')');
        if (close < 0) throw Bad(name, header, "'shape' is not a tuple");
        var parts = shapeText[1..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            // Python 2 era writers appended 'L' to long integers.
            string p = parts[i].TrimEnd('L');
            if (!long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw Bad(name, header, $"the shape entry '{parts[i]}' is not a non-negative integer");
        }
        return (descr, fortran, shape);
    }

    private static string ValueAfter(string text, string key, string name, string header)
    {
        foreach (char quote in "'\"")
        {
            string k = $"{quote}{key}{quote}";
            int at = text.IndexOf(k, StringComparison.Ordinal);
            if (at < 0) continue;
            int colon = text.IndexOf(':', at + k.Length);
            if (colon < 0) break;
            return text[(colon + 1)..].TrimStart();
        }
        throw Bad(name, header, $"the key '{key}' is missing");
    }

    private static string ParseString(string value, string name, string header)
    {
        if (value.Length == 0 || (value[0] != '\'' && value[0] != '"')) throw Bad(name, header, "'descr' is not a string (structured dtypes are not supported)");
        int end = value.IndexOf(value[0], 1);
        if (end < 0) throw Bad(name, header, "'descr' is an unterminated string");
        return value[1..end];
    }

    private static InvalidDataException Bad(string name, string header, string why)
        => DataError.Create(name, $"the .npy header is malformed ({why}): {header.Trim()}");
}

/// <summary>A parsed NumPy element type: kind ('b', 'u', 'i', 'f'), size in bytes, and whether bytes must be swapped.</summary>
internal readonly record struct NpyElementType(char Kind, int Size, bool SwapBytes)
{
    public static NpyElementType Parse(string descr, string name)
    {
        if (descr.Length >= 3 && descr[0] is '<' or '>' or '|' or '=')
        {
            char order = descr[0], kind = descr[1];
            bool sizeOk = int.TryParse(descr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int size);
            bool supported = sizeOk && (kind, size) switch
            {
                ('b', 1) or ('u', 1) or ('i', 1) => true,
                ('u' or 'i', 2 or 4 or 8) => true,
                ('f', 2 or 4 or 8) => true,
                _ => false,
            };
            if (supported)
            {
                bool bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
                bool swap = size > 1 && bigEndian == BitConverter.IsLittleEndian;
                return new NpyElementType(kind, size, swap);
            }
        }
        throw DataError.Create(name, $"unsupported dtype '{descr}' (supported: bool, u1, i1, u2, i2, u4, i4, u8, i8, f2, f4, f8).");
    }
}

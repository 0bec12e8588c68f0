using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace ContrastiveNE.Data;

public static partial class DelimitedFile
{
    /// <summary>Where each data line lies in the file's bytes: offset, length and 1-based line number.</summary>
    private sealed class LineIndex
    {
        private int[] _start = new int[1024], _length = new int[1024], _number = new int[1024];

        public int Count { get; private set; }

        public int[] Start => _start;

        public int[] Length => _length;

        public int[] Number => _number;

        public void Add(int start, int length, int number)
        {
            if (Count == _start.Length)
            {
                Array.Resize(ref _start, Count * 2);
                Array.Resize(ref _length, Count * 2);
                Array.Resize(ref _number, Count * 2);
            }
            _start[Count] = start;
            _length[Count] = length;
            _number[Count] = number;
            Count++;
        }

        public ReadOnlySpan<byte> Bytes(byte[] text, int line) => text.AsSpan(_start[line], _length[line]);

        public string Text(byte[] text, int line) => Encoding.UTF8.GetString(Bytes(text, line));
    }

    /// <summary>
    /// Parses the data lines into a preallocated row-major buffer, in parallel blocks of lines. Every row is written by
    /// the one worker that owns its block, so the result does not depend on the number of workers; when lines are
    /// bad, the error of the first bad row in file order is thrown, whichever worker found it.
    /// </summary>
    /// <remarks>
    /// A line without quotes is cut at the delimiter byte and its cells are parsed straight from the UTF-8 bytes
    /// (no string per line or cell). Quoted lines and whitespace-separated files go through the string splitter.
    /// </remarks>
    private sealed class RowParser(byte[] text, LineIndex lines, int first, string name, char? delimiter, int width, int label,
        float[] values, string[]? labelText)
    {
        /// <summary>Rows per block: large enough to amortise scheduling, small enough to balance 16 workers on 10⁴ rows.</summary>
        private const int BlockRows = 256;

        private readonly int _dataWidth = label >= 0 ? width - 1 : width;

        public void Run()
        {
            int rows = lines.Count - first;
            int blocks = (rows + BlockRows - 1) / BlockRows;
            var errors = new InvalidDataException?[blocks];
            if (blocks == 1) errors[0] = ParseBlock(0, rows);
            else Parallel.For(0, blocks, b => errors[b] = ParseBlock(b * BlockRows, Math.Min(rows, (b + 1) * BlockRows)));
            foreach (var error in errors)
                if (error != null) throw error;
        }

        private InvalidDataException? ParseBlock(int from, int to)
        {
            var cells = new List<string>();
            byte sep = delimiter is { } d && d < 128 ? (byte)d : (byte)0;
            for (int r = from; r < to; r++)
            {
                int line = first + r;
                var bytes = lines.Bytes(text, line);
                var error = sep != 0 && bytes.IndexOf((byte)'"') < 0
                    ? ParseBytes(bytes, sep, r, lines.Number[line])
                    : ParseSplit(lines.Text(text, line), cells, r, lines.Number[line]);
                if (error != null) return error;
            }
            return null;
        }

        private InvalidDataException? ParseBytes(ReadOnlySpan<byte> line, byte sep, int row, int lineNumber)
        {
            var output = values.AsSpan(row * _dataWidth, _dataWidth);
            int c = 0, o = 0, position = 0;
            while (true)
            {
                int next = line[position..].IndexOf(sep);
                int end = next < 0 ? line.Length : position + next;
                if (c < width)
                {
                    var cell = TrimBlanks(line[position..end]);
                    if (c == label) labelText![row] = Encoding.UTF8.GetString(cell);
                    else
                    {
                        if (!TryParse(cell, out float v) || !float.IsFinite(v))
                            return CellError(Encoding.UTF8.GetString(cell), row, c, lineNumber);
                        output[o++] = v;
                    }
                }
                c++;
                if (next < 0) break;
                position = end + 1;
            }
            return c == width ? null
                : DataError.Create(name, $"line {lineNumber} has {c} cells, but the first line has {width}.", row);
        }

        private InvalidDataException? ParseSplit(string line, List<string> cells, int row, int lineNumber)
        {
            try
            {
                Split(line, delimiter, cells, name, lineNumber);
            }
            catch (InvalidDataException e)
            {
                return e;
            }
            if (cells.Count != width)
                return DataError.Create(name, $"line {lineNumber} has {cells.Count} cells, but the first line has {width}.", row);
            int o = row * _dataWidth;
            for (int c = 0; c < width; c++)
            {
                if (c == label) { labelText![row] = cells[c]; continue; }
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    return CellError(cells[c], row, c, lineNumber);
                values[o++] = v;
            }
            return null;
        }

        private InvalidDataException CellError(string cell, int row, int column, int lineNumber)
        {
            if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                return DataError.Create(name, $"line {lineNumber}: the cell '{cell}' is not a number.", row, column);
            return DataError.Create(name, $"line {lineNumber}: the cell '{cell}' is {(float.IsNaN(v) ? "NaN" : "infinite in float32")}; every value must be finite.", row, column);
        }
    }

    private static ReadOnlySpan<byte> TrimBlanks(ReadOnlySpan<byte> cell)
    {
        int start = cell.IndexOfAnyExcept(Blanks);
        if (start < 0) return [];
        return cell[start..(cell.LastIndexOfAnyExcept(Blanks) + 1)];
    }

    /// <summary>Exact powers of ten as floats, 10⁰ … 10¹⁰ (every one is representable).</summary>
    private static readonly float[] PowersOfTen = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    /// <summary>
    /// Parses a float from UTF-8 with the invariant culture. Plain decimals of at most seven significant digits
    /// (<c>-12.5</c>, <c>0.0039</c>, <c>255</c>) take a fast path: their digits m form an integer below 2²⁴ and the
    /// scale 10^k (k ≤ 10) is exact in float, so the single IEEE division m / 10^k is the correctly rounded value —
    /// the same float the general parser gives. Anything else (exponents, more digits, nan, inf) goes to
    /// <see cref="float.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out float)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParse(ReadOnlySpan<byte> cell, out float value)
    {
        int i = 0, n = cell.Length;
        bool negative = false;
        if (n > 0 && (cell[0] == (byte)'-' || cell[0] == (byte)'+')) { negative = cell[0] == (byte)'-'; i = 1; }
        uint mantissa = 0;
        int digits = 0, fraction = 0;
        while (i < n && (uint)(cell[i] - '0') <= 9) { mantissa = mantissa * 10 + (uint)(cell[i] - '0'); digits++; i++; if (digits > 8) goto General; }
        if (i < n && cell[i] == (byte)'.')
        {
            i++;
            while (i < n && (uint)(cell[i] - '0') <= 9) { mantissa = mantissa * 10 + (uint)(cell[i] - '0'); digits++; fraction++; i++; if (digits > 8) goto General; }
        }
        if (i != n || digits == 0 || mantissa >= 1u << 24 || fraction > 10) goto General;
        float v = fraction == 0 ? mantissa : mantissa / PowersOfTen[fraction];
        value = negative ? -v : v;
        return true;
    General:
        return float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}

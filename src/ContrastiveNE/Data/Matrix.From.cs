using System.Numerics.Tensors;

namespace ContrastiveNE.Data;

public sealed partial class Matrix
{
    /// <summary>Copies a rectangular array: element [i, j] becomes (i, j).</summary>
    /// <param name="values">The values; any extent, including 0.</param>
    public static Matrix From(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var data = new float[checked(rows * columns)];
        // A float[,] is stored row-major and contiguously, so one block copy moves it.
        Buffer.BlockCopy(values, 0, data, 0, data.Length * sizeof(float));
        return new Matrix(rows, columns, data);
    }

    /// <summary>Copies a rectangular array of doubles, rounding each value to the nearest float.</summary>
    /// <param name="values">The values.</param>
    /// <exception cref="ArgumentException">A value lies outside the float range (it would become ±∞); the message names its row and column.</exception>
    public static Matrix From(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var data = new float[checked(rows * columns)];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                float v = (float)values[i, j];
                if (float.IsInfinity(v) && double.IsFinite(values[i, j]))
                    throw new ArgumentException($"Row {i}, column {j} holds {values[i, j]}, which is outside the float range.", nameof(values));
                data[i * columns + j] = v;
            }
        return new Matrix(rows, columns, data);
    }

    /// <summary>Copies a jagged array whose rows all have the same length.</summary>
    /// <param name="rows">The rows; an empty array gives a 0 × 0 matrix.</param>
    /// <exception cref="ArgumentException">A row is null or its length differs from the first row's; the message names the row.</exception>
    public static Matrix From(float[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return From((IEnumerable<float[]>)rows);
    }

    /// <summary>Copies a sequence of rows of equal length (read once, in order).</summary>
    /// <param name="rows">The rows; an empty sequence gives a 0 × 0 matrix.</param>
    /// <exception cref="ArgumentException">A row is null or its length differs from the first row's; the message names the row.</exception>
    public static Matrix From(IEnumerable<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var buffer = new List<float>();
        int width = -1, count = 0;
        foreach (var row in rows)
        {
            if (row is null) throw new ArgumentException($"Row {count} is null.", nameof(rows));
            if (width < 0)
            {
                width = row.Length;
                if (rows is IReadOnlyCollection<float[]> known) buffer.Capacity = checked(known.Count * width);
            }
            else if (row.Length != width)
                throw new ArgumentException($"Row {count} has {row.Length} values, but row 0 has {width}; every row needs the same length.", nameof(rows));
            buffer.AddRange(row);
            count++;
        }
        return new Matrix(count, Math.Max(width, 0), buffer.ToArray());
    }

    /// <summary>Copies <paramref name="rows"/> rows stored one after another (row-major) in <paramref name="values"/>.</summary>
    /// <param name="values">rows × columns values.</param>
    /// <param name="rows">Number of rows, ≥ 1 unless <paramref name="values"/> is empty.</param>
    /// <exception cref="ArgumentException">The length of <paramref name="values"/> is not a multiple of <paramref name="rows"/>.</exception>
    public static Matrix From(ReadOnlySpan<float> values, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rows == 0)
        {
            if (!values.IsEmpty) throw new ArgumentException($"{values.Length} values cannot form 0 rows.", nameof(rows));
            return new Matrix(0, 0);
        }
        if (values.Length % rows != 0)
            throw new ArgumentException($"{values.Length} values do not split into {rows} rows of equal length.", nameof(rows));
        return new Matrix(rows, values.Length / rows, values.ToArray());
    }

    /// <summary>
    /// Copies a tensor: rank 2 as it is, rank 1 as one column, higher ranks flattened per leading index (an
    /// N × 28 × 28 tensor becomes N × 784). Any strides are honoured.
    /// </summary>
    /// <param name="tensor">The tensor, rank ≥ 1.</param>
    public static Matrix From(Tensor<float> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 1) throw new ArgumentException("A tensor of rank 0 has no rows.", nameof(tensor));
        var lengths = tensor.Lengths;
        long rows = lengths[0], total = tensor.FlattenedLength;
        if (total > Array.MaxLength || rows > int.MaxValue)
            throw new ArgumentException($"A tensor of {total} values is too large for one matrix.", nameof(tensor));
        int columns = rows == 0 ? (tensor.Rank == 1 ? 1 : 0) : (int)(total / rows);
        if (rows == 0 && tensor.Rank > 1)
        {
            long width = 1;
            for (int d = 1; d < lengths.Length; d++) width *= lengths[d];
            columns = (int)width;
        }
        var data = new float[total];
        tensor.FlattenTo(data);
        return new Matrix((int)rows, columns, data);
    }

    /// <summary>A rank-2 tensor of shape (<see cref="Rows"/>, <see cref="Columns"/>) over a copy of the values.</summary>
    /// <exception cref="NotSupportedException">The matrix is stored in row chunks (see <see cref="IsContiguous"/>).</exception>
    public Tensor<float> ToTensor()
    {
        EnsureContiguous(nameof(ToTensor));
        return Tensor.Create((float[])Data.Clone(), [Rows, Columns]);
    }

    /// <summary>Copies the values into a new rectangular array.</summary>
    /// <exception cref="NotSupportedException">The matrix is stored in row chunks (see <see cref="IsContiguous"/>).</exception>
    public float[,] ToArray2D()
    {
        EnsureContiguous(nameof(ToArray2D));
        var result = new float[Rows, Columns];
        Buffer.BlockCopy(Data, 0, result, 0, Data.Length * sizeof(float));
        return result;
    }
}

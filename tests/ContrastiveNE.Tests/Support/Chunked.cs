using ContrastiveNE.Data;

namespace ContrastiveNE.Tests.Support;

/// <summary>Copies of test data stored in tiny row chunks, so that the chunked paths run on data of test size.</summary>
internal static class Chunked
{
    /// <summary>A copy of <paramref name="m"/> in chunks of <paramref name="rowsPerChunk"/> rows (the last one shorter).</summary>
    public static Matrix Copy(Matrix m, int rowsPerChunk = 7)
    {
        Matrix copy;
        using (Matrix.ForceChunks(rowsPerChunk)) copy = new Matrix(m.Rows, m.Columns);
        Assert.False(copy.IsContiguous);
        for (int i = 0; i < m.Rows; i++) m.Row(i).CopyTo(copy.Row(i));
        return copy;
    }

    /// <summary>Asserts that two matrices hold the same values bit for bit, whatever their storage.</summary>
    public static void Equal(Matrix expected, Matrix actual)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Columns, actual.Columns);
        for (int i = 0; i < expected.Rows; i++)
            Assert.True(expected.Row(i).SequenceEqual(actual.Row(i)), $"row {i} differs");
    }
}

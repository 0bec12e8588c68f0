using System.Numerics.Tensors;
using ContrastiveNE.Data;

namespace ContrastiveNE.Tests.Data;

public sealed class MatrixFromTests
{
    private static readonly float[] Expected = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void Every_in_memory_shape_gives_the_same_row_major_matrix()
    {
        Matrix[] all =
        [
            Matrix.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }),
            Matrix.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }),
            Matrix.From(new[] { new float[] { 1, 2, 3 }, [4, 5, 6] }),
            Matrix.From(Enumerable.Range(0, 2).Select(i => new float[] { 3 * i + 1, 3 * i + 2, 3 * i + 3 })),
            Matrix.From(Expected.AsSpan(), 2),
            Matrix.From(Tensor.Create(Expected, [2, 3])),
        ];
        foreach (var m in all)
        {
            Assert.Equal((2, 3), (m.Rows, m.Columns));
            Assert.Equal(Expected, m.Data);
        }
    }

    [Fact]
    public void Tensors_round_trip_and_higher_ranks_flatten_per_row()
    {
        var m = new Matrix(2, 3, (float[])Expected.Clone());
        var t = m.ToTensor();
        Assert.Equal([2, 3], t.Lengths.ToArray());
        Assert.Equal(Expected, Matrix.From(t).Data);
        var cube = Matrix.From(Tensor.Create(new float[12], [2, 2, 3]));
        Assert.Equal((2, 6), (cube.Rows, cube.Columns));
        Assert.Equal(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }, m.ToArray2D());
    }

    [Fact]
    public void Ragged_or_unsplittable_input_names_the_row()
    {
        var e = Assert.Throws<ArgumentException>(() => Matrix.From(new[] { new float[] { 1, 2 }, [3] }));
        Assert.Contains("Row 1 has 1 values, but row 0 has 2", e.Message);
        Assert.Contains("Row 0 is null", Assert.Throws<ArgumentException>(() => Matrix.From(new float[][] { null! })).Message);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => Matrix.From(Expected.AsSpan(), 4)).ParamName);
        Assert.Contains("Row 0, column 1", Assert.Throws<ArgumentException>(() => Matrix.From(new double[,] { { 1, 1e300 } })).Message);
        Assert.Equal((0, 0), (Matrix.From(Array.Empty<float[]>()).Rows, Matrix.From(Array.Empty<float[]>()).Columns));
    }
}

using ContrastiveNE.Data;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Data;

/// <summary>The core readers against fixtures written by numpy (tests/data/formats/make_fixtures.py).</summary>
public sealed class FormatFixtureTests
{
    private static Matrix Read(string name, DataReadOptions? options = null) => DataFormats.Read(FormatFixtures.Path(name), options).Data;

    [Fact]
    public void Fashion_mnist_as_idx_npy_csv_and_npz_gives_identical_matrices()
    {
        var npy = Read("fmnist100-images.npy");
        Assert.Equal((100, 784), (npy.Rows, npy.Columns));
        Assert.True(npy.Data.Max() > 200, "the fixture holds real pixels");
        foreach (var other in new[]
        {
            Read("fmnist100-images-idx3-ubyte.gz"), Read("fmnist100-images-idx3-ubyte"), Read("fmnist100-images.csv"),
            Read("fmnist100-images-3d.npy"), Read("fmnist100.npz", new() { Key = "images" }), Read("fmnist100-compressed.npz", new() { Key = "images" }),
        })
        {
            Assert.Equal((npy.Rows, npy.Columns), (other.Rows, other.Columns));
            Assert.Equal(npy.Data, other.Data);
        }
    }

    [Fact]
    public void Labels_read_alike_from_idx1_npy_and_npz()
    {
        int[] npy = DataFormats.ReadLabels(FormatFixtures.Path("fmnist100-labels.npy"));
        Assert.Equal(100, npy.Length);
        Assert.Equal(npy, DataFormats.ReadLabels(FormatFixtures.Path("fmnist100-labels-idx1-ubyte")));
        Assert.Equal(npy, DataFormats.ReadLabels(FormatFixtures.Path("fmnist100.npz"), "labels"));
        Assert.Equal(npy, NpzFile.ReadLabels(FormatFixtures.Path("fmnist100-compressed.npz"), "labels"));
    }

    [Fact]
    public void Image_arrays_remember_their_shape()
    {
        Assert.Equal(new ImageShape(1, 28, 28), DataFormats.Read(FormatFixtures.Path("fmnist100-images-3d.npy")).ImageShape);
        Assert.Equal(new ImageShape(1, 28, 28), DataFormats.Read(FormatFixtures.Path("fmnist100-images-idx3-ubyte.gz")).ImageShape);
        Assert.Equal(new ImageShape(1, 28, 28), DataFormats.Read(FormatFixtures.Path("fmnist100.npz"), new() { Key = "images" }).ImageShape);
        Assert.Null(DataFormats.Read(FormatFixtures.Path("fmnist100-images.npy")).ImageShape);
    }

    [Fact]
    public void Float_idx_matches_the_bytes_scaled()
    {
        var floats = Read("fmnist10-float-idx3-ubyte");
        var bytes = Read("fmnist100-images.npy");
        for (int i = 0; i < floats.Data.Length; i++) Assert.Equal(bytes.Data[i] / 255f, floats.Data[i]);
    }

    [Fact]
    public void Channels_last_images_are_reordered_to_channel_planes()
    {
        // rgb-nhwc.npy is 4 × 5 × 6 × 3 (N, H, W, C): value (n, h, w, c) must land at c·30 + h·6 + w of row n.
        var loaded = DataFormats.Read(FormatFixtures.Path("rgb-nhwc.npy"));
        Assert.Equal(new ImageShape(3, 5, 6), loaded.ImageShape);
        byte[] raw = File.ReadAllBytes(FormatFixtures.Path("rgb-nhwc.npy"));
        int header = raw.Length - 4 * 5 * 6 * 3;
        for (int n = 0; n < 4; n++)
            for (int h = 0; h < 5; h++)
                for (int w = 0; w < 6; w++)
                    for (int c = 0; c < 3; c++)
                        Assert.Equal(raw[header + ((n * 5 + h) * 6 + w) * 3 + c], loaded.Data[n, c * 30 + h * 6 + w]);
    }
}

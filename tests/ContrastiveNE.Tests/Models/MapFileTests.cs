using System.Buffers.Binary;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Models;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Models;

/// <summary>The map file: round trip, and one clear error per kind of bad file.</summary>
public class MapFileTests
{
    private static readonly Lazy<(CneMap Map, Matrix New)> Fitted = new(() =>
    {
        var (images, _) = TestFiles.Digits();
        using var fit = new Cne(new CneOptions { Epochs = 5, BatchSize = 4096, Threads = 2, Seed = 3 }).Fit(images.Slice(0, 600));
        return (fit.ToMap(), images.Slice(600, 100));
    });

    private static readonly CneTransformOptions Short = new() { Epochs = 10 };

    [Fact]
    public void ALoadedMapTransformsBitIdentically()
    {
        var (map, fresh) = Fitted.Value;
        using var dir = new TempDirectory();
        string path = dir.File("digits.cnemap");
        map.Save(path);
        Assert.True(CneMap.IsMapFile(path));
        var loaded = CneMap.Load(path);
        Assert.Equal(map.Positions.Data, loaded.Positions.Data);
        Assert.Equal(map.TrainingData.Data, loaded.TrainingData.Data);
        Assert.Equal(map.Options, loaded.Options);
        Assert.Equal(map.Z, loaded.Z);
        Assert.Equal(map.Temperature, loaded.Temperature);
        Assert.Equal(map.Transform(fresh, Short).Data, loaded.Transform(fresh, Short).Data);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    private static byte[] Saved(TempDirectory dir, out string path)
    {
        path = dir.File("map.cnemap");
        Fitted.Value.Map.Save(path);
        return File.ReadAllBytes(path);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(23)]
    [InlineData(1000)]
    public void TruncatedFileIsReported(int keep)
    {
        using var dir = new TempDirectory();
        var bytes = Saved(dir, out string path);
        File.WriteAllBytes(path, bytes[..keep]);
        var e = Assert.Throws<InvalidDataException>(() => CneMap.Load(path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(0u)]
    public void AnotherVersionIsRefused(uint version)
    {
        using var dir = new TempDirectory();
        var bytes = Saved(dir, out string path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), version);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => CneMap.Load(path));
        Assert.Contains($"format version {version}", e.Message);
        Assert.Contains("reads version 1", e.Message);
    }

    [Fact]
    public void ACorruptByteFailsTheChecksum()
    {
        using var dir = new TempDirectory();
        var bytes = Saved(dir, out string path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => CneMap.Load(path));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void AModelFileIsNotAMapFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.cnem");
        File.WriteAllText(path, "CNEMODEL and more");
        Assert.False(CneMap.IsMapFile(path));
        var e = Assert.Throws<InvalidDataException>(() => CneMap.Load(path));
        Assert.Contains("not a ContrastiveNE map file", e.Message);
    }

    [Fact]
    public void TrailingBytesAreReported()
    {
        using var dir = new TempDirectory();
        var bytes = Saved(dir, out string path);
        File.WriteAllBytes(path, [.. bytes, 0]);
        Assert.Contains("unexpected bytes", Assert.Throws<InvalidDataException>(() => CneMap.Load(path)).Message);
    }

    [Fact]
    public void WrongColumnCountAfterLoadingNamesTheCounts()
    {
        using var dir = new TempDirectory();
        Saved(dir, out string path);
        var e = Assert.Throws<ArgumentException>(() => CneMap.Load(path).Transform(new Matrix(2, 7)));
        Assert.Contains("7 columns", e.Message);
        Assert.Contains("64 columns", e.Message);
    }
}

using System.Buffers.Binary;
using ContrastiveNE.Data;
using ContrastiveNE.Models;

namespace ContrastiveNE.Tests.Models;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cne-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Saved(out Sequential network)
    {
        network = Mlp.Create(11, [9, 7], 3, seed: 21);
        string path = Path.Combine(_folder, "model.cnem");
        ModelFile.Save(path, network, [new("loss", "nce"), new("note", "ünïcode")]);
        return path;
    }

    [Fact]
    public void SaveLoadTransformIsBitIdentical()
    {
        string path = Saved(out var network);
        var (loaded, settings) = ModelFile.Load(path);
        Assert.Equal([new("loss", "nce"), new("note", "ünïcode")], settings);
        Assert.Equal(network.Parameters.Select(p => p.Name), loaded.Parameters.Select(p => p.Name));

        var data = new Matrix(500, 11, ReferenceNetwork.RandomValues(500 * 11, 22, 3f));
        var before = new NetworkModel(network, null).Transform(data);
        var after = new NetworkModel(loaded, null).Transform(data);
        Assert.Equal(before.Data, after.Data);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void SavingOverAnExistingFileReplacesIt()
    {
        string path = Saved(out _);
        var other = Mlp.Create(4, [], 2, seed: 1);
        ModelFile.Save(path, other, []);
        Assert.Equal(4, ModelFile.Load(path).Network.InputDimension);
    }

    [Fact]
    public void CorruptFileFailsItsChecksum()
    {
        string path = Saved(out _);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains("checksum", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(100)]
    [InlineData(-1)]
    public void TruncatedFileIsReported(int keep)
    {
        string path = Saved(out _);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(keep >= 0 ? keep : bytes.Length - 1)]);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains(keep == 0 ? "not a ContrastiveNE model file" : "truncated", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void ForeignFileHasBadMagic()
    {
        string path = Path.Combine(_folder, "data.npy");
        File.WriteAllBytes(path, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains("not a ContrastiveNE model file", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void FutureVersionIsRefused()
    {
        string path = Saved(out _);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), ModelFile.FormatVersion + 1);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains("format version 2", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void TrailingBytesAreReported()
    {
        string path = Saved(out _);
        File.AppendAllText(path, "x");
        Assert.Contains("unexpected bytes", Assert.Throws<InvalidDataException>(() => ModelFile.Load(path)).Message);
    }

    [Fact]
    public void InconsistentPayloadWithValidChecksumIsReported()
    {
        // Change the first layer's output width (and re-seal the checksum): the widths no longer chain.
        string path = Saved(out _);
        var bytes = File.ReadAllBytes(path);
        int payloadLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16));
        // Settings: count, then ("loss","nce") and ("note","ünïcode") as length-prefixed UTF-8.
        int layers = 24 + 4 + (4 + 4) + (4 + 3) + (4 + 4) + (4 + "ünïcode"u8.Length);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(layers)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(layers + 4 + 1 + 4), 8);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24 + payloadLength), Crc32.Compute(bytes.AsSpan(24, payloadLength)));
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains("inconsistent", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }
}

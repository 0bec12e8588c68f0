using ContrastiveNE.Data;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Data;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void WriteHalfThenFail(Stream s)
    {
        s.Write(new byte[1000]);
        throw new IOException("disk full (simulated)");
    }

    [Fact]
    public void Failing_writer_leaves_no_file_behind()
    {
        string path = _dir.File("out.npy");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, WriteHalfThenFail));
        Assert.Equal("disk full (simulated)", e.Message);
        Assert.Empty(Directory.GetFiles(_dir.Path)); // neither the target nor a temporary file
    }

    [Fact]
    public void Failing_writer_leaves_an_existing_target_untouched()
    {
        string path = _dir.File("out.csv");
        File.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, WriteHalfThenFail));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Successful_write_replaces_the_target()
    {
        string path = _dir.File("out.bin");
        File.WriteAllText(path, "old");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Npy_writer_goes_through_the_atomic_path()
    {
        // The .npy content is fully written, then the write fails: the old file must survive unchanged.
        string path = _dir.File("m.npy");
        NpyFile.Write(path, new Matrix(2, 2, [1, 2, 3, 4]));
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s => { NpyFile.Write(s, new Matrix(3, 1)); throw new IOException("stop"); }));
        Assert.Equal([1f, 2, 3, 4], NpyFile.ReadMatrix(path).Data);
        Assert.Single(Directory.GetFiles(_dir.Path));
    }
}

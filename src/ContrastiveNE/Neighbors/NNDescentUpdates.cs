using System.Runtime.CompilerServices;

namespace ContrastiveNE.Neighbors;

/// <summary>
/// The candidate updates (a, b, squared distance) one work unit of an NN-descent local join proposes; kept
/// between iterations so the join allocates nothing once the buffers have grown.
/// </summary>
internal sealed class NNDescentUpdates
{
    private int[] _a = new int[256];
    private int[] _b = new int[256];
    private float[] _d = new float[256];

    public int Count { get; private set; }

    public ReadOnlySpan<int> A => _a.AsSpan(0, Count);

    public ReadOnlySpan<int> B => _b.AsSpan(0, Count);

    public ReadOnlySpan<float> D => _d.AsSpan(0, Count);

    public void Clear() => Count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int a, int b, float d)
    {
        if (Count == _a.Length) Grow();
        _a[Count] = a;
        _b[Count] = b;
        _d[Count] = d;
        Count++;
    }

    private void Grow()
    {
        int size = _a.Length * 2;
        Array.Resize(ref _a, size);
        Array.Resize(ref _b, size);
        Array.Resize(ref _d, size);
    }
}

using System.Runtime.CompilerServices;

namespace ContrastiveNE.Neighbors;

/// <summary>
/// One work unit's buffer of candidate heap updates (pairs with their distance), in the order they were found.
/// Stored in fixed-size blocks drawn from a pool shared by all units and returned to it by <see cref="Clear"/>: a
/// unit holds at most one partly filled block, and no buffer is ever copied to grow (doubling arrays held up to twice
/// the updates, plus the garbage of every resize; at 10⁶ points the first iteration buffers 42 M updates).
/// </summary>
/// <remarks>
/// A pair is stored as a code and a distance. In packed mode (see <see cref="NNDescentUpdatePool.Packed"/>) the code
/// names the pair by where the join found it — the point's offset in its unit and the two candidate-list positions —
/// so it takes 8 bytes instead of 12; <see cref="NNDescentSearch"/> decodes it against the candidate lists, which
/// stay unchanged until the updates are applied. Otherwise the code is the first point and the second is stored beside it.
/// </remarks>
internal sealed class NNDescentUpdates
{
    private readonly NNDescentUpdatePool _pool;
    private readonly List<NNDescentUpdateBlock> _blocks = [];
    private NNDescentUpdateBlock? _current;
    private int _used;   // entries used in _current

    public NNDescentUpdates(NNDescentUpdatePool pool) => _pool = pool;

    /// <summary>Entries held.</summary>
    public long Count => _blocks.Count == 0 ? 0 : (long)(_blocks.Count - 1) * NNDescentUpdatePool.BlockSize + _used;

    /// <summary>The filled blocks in order; every block but the last is full.</summary>
    public IReadOnlyList<NNDescentUpdateBlock> Blocks => _blocks;

    /// <summary>Entries used in block <paramref name="index"/>.</summary>
    public int Used(int index) => index == _blocks.Count - 1 ? _used : NNDescentUpdatePool.BlockSize;

    /// <summary>Returns every block to the pool.</summary>
    public void Clear()
    {
        _pool.Return(_blocks);
        _blocks.Clear();
        _current = null;
        _used = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int code, int second, float d)
    {
        if (_current is null || _used == NNDescentUpdatePool.BlockSize) NextBlock();
        _current!.Code[_used] = code;
        if (_current.Second is not null) _current.Second[_used] = second;
        _current.Distance[_used] = d;
        _used++;
    }

    private void NextBlock()
    {
        _current = _pool.Rent();
        _blocks.Add(_current);
        _used = 0;
    }
}

/// <summary>A fixed-size block of update entries.</summary>
internal sealed class NNDescentUpdateBlock(bool packed)
{
    public readonly int[] Code = new int[NNDescentUpdatePool.BlockSize];
    public readonly int[]? Second = packed ? null : new int[NNDescentUpdatePool.BlockSize];
    public readonly float[] Distance = new float[NNDescentUpdatePool.BlockSize];
}

/// <summary>The blocks shared by the update buffers of one search; thread-safe.</summary>
internal sealed class NNDescentUpdatePool(bool packed)
{
    /// <summary>Entries per block (small arrays: a unit's unused tail stays small, and blocks live outside the large-object heap).</summary>
    public const int BlockSize = 1024;

    private readonly Stack<NNDescentUpdateBlock> _free = new();

    /// <summary>Whether codes name pairs by candidate-list positions (8 bytes an entry) rather than by point (12).</summary>
    public bool Packed { get; } = packed;

    public NNDescentUpdateBlock Rent()
    {
        lock (_free)
        {
            if (_free.Count > 0) return _free.Pop();
        }
        return new NNDescentUpdateBlock(Packed);
    }

    public void Return(List<NNDescentUpdateBlock> blocks)
    {
        lock (_free)
        {
            foreach (var block in blocks) _free.Push(block);
        }
    }
}

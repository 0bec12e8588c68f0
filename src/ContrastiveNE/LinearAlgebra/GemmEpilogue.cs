using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ContrastiveNE.LinearAlgebra;

/// <summary>
/// Element-wise work applied to each finished value of C on each finished tile of C while it is still in L1, instead of in
/// separate passes over C afterwards: add a bias per column, then max(·, 0), then keep the value only where a mask matrix is positive (the
/// rectifier's derivative). A layer's activations are many times larger than the caches, so each separate pass costs
/// a full read and write of them from memory; a finished tile is still in L1.
/// </summary>
/// <remarks>
/// The operations are the ones the separate passes do, in the same order (v + bias, then max, then the mask), so
/// the result is bit-identical to the product followed by those passes. <see cref="Bias"/> and <see cref="Mask"/>
/// point at the entry of the tile being written (column j, resp. element (i, j)); <see cref="At"/> moves them.
/// </remarks>
internal readonly unsafe struct GemmEpilogue
{
    public GemmEpilogue(float* bias, bool relu, float* mask, nint maskStride)
    {
        Bias = bias;
        Relu = relu;
        Mask = mask;
        MaskStride = maskStride;
    }

    /// <summary>Bias of the current column (added to every row), or null.</summary>
    public float* Bias { get; }

    /// <summary>Whether max(·, 0) follows the bias.</summary>
    public bool Relu { get; }

    /// <summary>Mask entry of the current element, or null: a value survives where the mask is &gt; 0 and becomes +0 elsewhere.</summary>
    public float* Mask { get; }

    /// <summary>Row stride of the mask.</summary>
    public nint MaskStride { get; }

    /// <summary>Whether there is anything to do.</summary>
    public bool Active
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Bias != null || Relu || Mask != null;
    }

    /// <summary>The epilogue for the element (i, j) of C relative to this one's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public GemmEpilogue At(nint i, nint j) =>
        new(Bias == null ? null : Bias + j, Relu, Mask == null ? null : Mask + i * MaskStride + j, MaskStride);

    /// <summary>Applies the epilogue to one value at row <paramref name="i"/>, column <paramref name="j"/> (scalar path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Apply(float v, nint i, nint j)
    {
        if (Bias != null) v += Bias[j];
        if (Relu) v = MathF.Max(v, 0); // NaN propagates, as Vector512.Max does
        if (Mask != null && !(Mask[i * MaskStride + j] > 0)) v = 0;
        return v;
    }

    /// <summary>
    /// Applies the epilogue to a finished mr × nr tile of C at <paramref name="c"/> (this epilogue's element), in place:
    /// 16 values at a time where the vector hardware allows, with the same operations as <see cref="Apply"/>.
    /// </summary>
    public void ApplyTile(float* c, nint ldc, int mr, int nr)
    {
        for (int i = 0; i < mr; i++)
        {
            float* row = c + i * ldc;
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; j <= nr - 16; j += 16)
                {
                    var v = Vector512.Load(row + j);
                    if (Bias != null) v += Vector512.Load(Bias + j);
                    if (Relu) v = Vector512.Max(v, Vector512<float>.Zero);
                    if (Mask != null) v &= Vector512.GreaterThan(Vector512.Load(Mask + i * MaskStride + j), Vector512<float>.Zero);
                    v.Store(row + j);
                }
            }
            for (; j < nr; j++) row[j] = Apply(row[j], i, j);
        }
    }

    /// <summary>Applies the epilogue to <paramref name="n"/> finished values of row <paramref name="i"/> of C, in place.</summary>
    public void ApplyRow(float* row, nint i, int n)
    {
        for (int j = 0; j < n; j++) row[j] = Apply(row[j], i, j);
    }
}

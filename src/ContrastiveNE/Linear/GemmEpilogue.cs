using System.Runtime.CompilerServices;

namespace ContrastiveNE.Linear;

/// <summary>
/// Element-wise work applied to each finished value of C as the GEMM writes it, instead of in separate passes over C
/// afterwards: add a bias per column, then max(·, 0), then keep the value only where a mask matrix is positive (the
/// rectifier's derivative). A layer's activations are many times larger than the caches, so each separate pass costs
/// a full read and write of them from memory; in the write-back the values are still in registers.
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

    /// <summary>Applies the epilogue to <paramref name="n"/> finished values of row <paramref name="i"/> of C, in place.</summary>
    public void ApplyRow(float* row, nint i, int n)
    {
        for (int j = 0; j < n; j++) row[j] = Apply(row[j], i, j);
    }
}

namespace ContrastiveNE.LinearAlgebra;

/// <summary>Whether a GEMM operand is used as stored or transposed.</summary>
internal enum Transpose
{
    /// <summary>Use the operand as stored (row-major).</summary>
    No,
    /// <summary>Use the transpose of the stored operand.</summary>
    Yes,
}

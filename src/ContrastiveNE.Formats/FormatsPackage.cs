using ContrastiveNE.Data;

namespace ContrastiveNE.Formats;

/// <summary>Adds this package's formats (AnnData <c>.h5ad</c>, Parquet) to <see cref="DataFormats"/>.</summary>
public static class FormatsPackage
{
    /// <summary>Registers <c>.h5ad</c> and <c>.parquet</c> with <see cref="DataFormats"/>; calling it again does nothing.</summary>
    public static void Register()
    {
        DataFormats.Register(new AnnDataFormat());
        DataFormats.Register(new ParquetFormat());
    }
}

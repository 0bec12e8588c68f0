namespace ContrastiveNE.Formats;

/// <summary>The HDF5 enum h5py uses for booleans (members FALSE = 0 and TRUE = 1), which it reads back as <c>numpy.bool_</c>.</summary>
#pragma warning disable CA1707 // the member names are h5py's
internal enum H5Bool : byte
{
    /// <summary>False.</summary>
    FALSE = 0,

    /// <summary>True.</summary>
    TRUE = 1,
}
#pragma warning restore CA1707

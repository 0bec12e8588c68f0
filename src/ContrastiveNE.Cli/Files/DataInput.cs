using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Files;

/// <summary>A data file as read: the matrix, its labels (if a label column was chosen) and everything the reader found.</summary>
internal sealed record DataInput(Matrix Data, LabelSet? Labels, LoadedData Loaded);

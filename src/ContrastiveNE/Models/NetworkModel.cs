using ContrastiveNE.Data;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Models;

/// <summary>
/// The parametric model (docs/method.md §1.3): a network maps each data row to its embedding position. Batches of item indices
/// (kNN edges) are looked up in the training data; batches of explicit input rows (augmentations) are forwarded as
/// they are. A batch of b edges names 2b items but typically far fewer distinct ones, so with
/// <see cref="Deduplicate"/> every distinct item is forwarded once and the gradients of its copies are summed before
/// the backward pass — the same gradient as forwarding every copy, at a fraction of the network work.
/// </summary>
public sealed class NetworkModel : IEmbeddingModel
{
    /// <summary>Rows per chunk of <see cref="Transform"/>: large enough for an efficient GEMM, small enough to stay in cache-sized buffers.</summary>
    private const int TransformChunk = 16384;

    /// <summary>Rows copied per parallel unit of the gather.</summary>
    private const int GatherGrain = 256;

    private readonly int[] _marker; // per data row: its slot among the distinct rows of the current batch, or −1
    private int[] _slots = [];      // per feature row of the batch: its distinct slot
    private int[] _distinct = [];   // per distinct slot: the data row
    private float[] _gathered = [], _distinctFeatures = [], _distinctGradient = [];
    private int _distinctCount = -1, _batchRows = -1;
    private bool _lastWasInputs;
    private int _threads;

    /// <summary>Creates a model that maps rows of <paramref name="data"/> (may be null for input-row batches only) through <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">The data's column count differs from the network's input width.</exception>
    public NetworkModel(INetwork network, Matrix? data, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (data is not null && data.Columns != network.InputDimension)
            throw new ArgumentException($"The data has {data.Columns} columns, but the network takes rows of width {network.InputDimension}.", nameof(data));
        data?.EnsureContiguous("training a network on the data (parametric mode)", Matrix.ParametricRemedy);
        Network = network;
        Data = data;
        _marker = new int[data?.Rows ?? 0];
        Array.Fill(_marker, -1);
        Threads = threads;
    }

    /// <summary>The network.</summary>
    public INetwork Network { get; }

    /// <summary>The training data whose rows the item indices of a batch name; null when only input-row batches are used.</summary>
    public Matrix? Data { get; }

    /// <summary>Width of an input row.</summary>
    public int InputDimension => Network.InputDimension;

    /// <inheritdoc/>
    public int OutputDimension => Network.OutputDimension;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    /// <summary>Whether an item that occurs several times in a batch is forwarded once (default true; false forwards every copy).</summary>
    public bool Deduplicate { get; set; } = true;

    /// <summary>Threads of the gather and of the network's layers (≤ 0: every processor). Results do not depend on it.</summary>
    public int Threads
    {
        get => _threads;
        set
        {
            _threads = value;
            if (Network is ILayer layer) layer.Threads = value;
        }
    }

    /// <summary>Number of distinct items forwarded in the last index batch (for diagnostics and benchmarks).</summary>
    public int LastDistinctCount => _distinctCount;

    /// <inheritdoc/>
    public void Forward(PairBatch batch, Span<float> features)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int rows = 2 * batch.Size, d = OutputDimension;
        if (features.Length < rows * d)
            throw new ArgumentException($"The feature buffer holds {features.Length} values; {rows} rows × {d} need {rows * d}.", nameof(features));
        _batchRows = rows;
        if (batch.Items is null)
        {
            ForwardInputs(batch, rows, features);
            return;
        }
        _lastWasInputs = false;
        var data = Data ?? throw new InvalidOperationException("This model has no data matrix, so it cannot forward a batch of item indices.");
        if (batch.Items.Length < rows)
            throw new ArgumentException($"The batch names {batch.Items.Length} items; {batch.Size} pairs need {rows}.", nameof(batch));
        if (_slots.Length < rows) { _slots = new int[rows]; _distinct = new int[rows]; }

        int distinct = Deduplicate ? MarkDistinct(batch.Items.AsSpan(0, rows), data.Rows) : CopyAll(batch.Items.AsSpan(0, rows), data.Rows);
        _distinctCount = distinct;
        int width = data.Columns;
        _distinctFeatures = Grow(_distinctFeatures, distinct * d);
        if (Network is Sequential { ReadsIndexedRows: true } chain)
        {
            // The first layer reads the distinct rows straight from the data matrix: gathering them would write and
            // read back a batch-sized copy (tens of MB per batch on image data) for the same values.
            chain.ForwardRetainedRows(data.Data.AsMemory(0, data.Rows * width), _distinct.AsMemory(0, distinct), distinct, _distinctFeatures);
        }
        else
        {
            _gathered = Grow(_gathered, distinct * width);
            Gather(data, distinct);
            ForwardNetwork(_gathered.AsMemory(0, distinct * width), distinct, _distinctFeatures);
        }

        var slots = _slots;
        for (int t = 0; t < rows; t++)
            _distinctFeatures.AsSpan(slots[t] * d, d).CopyTo(features.Slice(t * d, d));
    }

    /// <inheritdoc/>
    public void Backward(PairBatch batch, ReadOnlySpan<float> featureGradient)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int rows = 2 * batch.Size, d = OutputDimension;
        if (rows != _batchRows) throw new InvalidOperationException("Backward must follow the forward pass of the same batch.");
        if (featureGradient.Length < rows * d)
            throw new ArgumentException($"The feature gradient holds {featureGradient.Length} values; {rows} rows × {d} need {rows * d}.", nameof(featureGradient));
        if (_lastWasInputs)
        {
            Network.Backward(featureGradient[..(rows * d)], default);
            return;
        }
        // The copies of an item add their gradients into its one distinct row, in batch order (deterministic).
        int distinct = _distinctCount;
        _distinctGradient = Grow(_distinctGradient, distinct * d);
        var gradient = _distinctGradient.AsSpan(0, distinct * d);
        gradient.Clear();
        var slots = _slots;
        for (int t = 0; t < rows; t++)
            LayerKernels.AddTo(featureGradient.Slice(t * d, d), gradient.Slice(slots[t] * d, d));
        Network.Backward(gradient, default);
    }

    /// <summary>
    /// Embeds <paramref name="newData"/> with the network (inference mode), in chunks, multithreaded. A row's
    /// position is the same as in a training forward pass of the same parameters.
    /// </summary>
    /// <exception cref="ArgumentException">The column count differs from the network's input width.</exception>
    public Matrix Transform(Matrix newData)
    {
        ArgumentNullException.ThrowIfNull(newData);
        if (newData.Columns != InputDimension)
            throw new ArgumentException($"The new data has {newData.Columns} columns, but the model was trained on {InputDimension} columns.", nameof(newData));
        newData.EnsureContiguous("a network's transform", "Transform the rows in parts of fewer than 2³¹ values (Matrix.Slice).");
        var result = new Matrix(newData.Rows, OutputDimension);
        for (int start = 0; start < newData.Rows; start += TransformChunk)
        {
            int count = Math.Min(TransformChunk, newData.Rows - start);
            Network.Forward(newData.RowSpan(start, count), count, result.RowSpan(start, count), training: false);
        }
        return result;
    }

    private void ForwardInputs(PairBatch batch, int rows, Span<float> features)
    {
        _lastWasInputs = true;
        var inputs = batch.Inputs ?? throw new ArgumentException("The batch has neither item indices nor input rows.", nameof(batch));
        if (batch.InputWidth != InputDimension)
            throw new ArgumentException($"The batch's input rows have width {batch.InputWidth}, but the network takes width {InputDimension}.", nameof(batch));
        int length = rows * InputDimension;
        if (inputs.Length < length)
            throw new ArgumentException($"The batch holds {inputs.Length} input values; {rows} rows × {InputDimension} need {length}.", nameof(batch));
        ForwardNetwork(inputs.AsMemory(0, length), rows, features[..(rows * OutputDimension)]);
    }

    private void ForwardNetwork(ReadOnlyMemory<float> input, int rows, Span<float> output)
    {
        if (Network is ILayer layer) layer.ForwardRetained(input, rows, output);
        else Network.Forward(input.Span, rows, output, training: true);
    }

    private int MarkDistinct(ReadOnlySpan<int> items, int dataRows)
    {
        var marker = _marker;
        var slots = _slots;
        var distinct = _distinct;
        int count = 0;
        for (int t = 0; t < items.Length; t++)
        {
            int item = items[t];
            if ((uint)item >= (uint)dataRows) { Unmark(count); throw BadItem(t, item, dataRows); }
            int slot = marker[item];
            if (slot < 0)
            {
                slot = count++;
                marker[item] = slot;
                distinct[slot] = item;
            }
            slots[t] = slot;
        }
        Unmark(count);
        return count;
    }

    private int CopyAll(ReadOnlySpan<int> items, int dataRows)
    {
        for (int t = 0; t < items.Length; t++)
        {
            if ((uint)items[t] >= (uint)dataRows) throw BadItem(t, items[t], dataRows);
            _distinct[t] = items[t];
            _slots[t] = t;
        }
        return items.Length;
    }

    private void Unmark(int count)
    {
        for (int j = 0; j < count; j++) _marker[_distinct[j]] = -1;
    }

    private static ArgumentException BadItem(int position, int item, int dataRows) =>
        new($"Batch entry {position} names item {item}, outside the {dataRows} rows of the data.", "batch");

    private void Gather(Matrix data, int count)
    {
        var source = data.Data;
        var target = _gathered;
        var rows = _distinct;
        int width = data.Columns;
        Parallelism.ForRanges(count, GatherGrain, Threads, (start, end) =>
        {
            for (int j = start; j < end; j++)
                Array.Copy(source, (long)rows[j] * width, target, (long)j * width, width);
        });
    }

    private static float[] Grow(float[] buffer, int length) => buffer.Length >= length ? buffer : new float[length];
}

using System.Numerics.Tensors;
using ContrastiveNE.Models.Layers;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Models;

/// <summary>
/// A chain of networks, each feeding the next. The chain owns the activation buffers between its layers and reuses
/// them from call to call (they only grow), so once warm a batch is forwarded and back-propagated without allocation.
/// Layers that implement <see cref="ILayer"/> keep a reference to the chain's buffers instead of copying their input,
/// a <see cref="Linear"/> layer or a <see cref="BatchNorm"/> followed by a <see cref="Relu"/> runs as one pass (forward,
/// and for batch normalisation backward too), and back-propagation through a rectifier happens inside the
/// input-gradient product of the linear layer after it. A chain of linear layers with rectifiers between them (a
/// multilayer perceptron) trains a large batch in blocks of rows, each block passing through all layers while its
/// activations are in cache. An inference pass reuses the same buffers, so it must not come between a training pass
/// and its backward pass.
/// </summary>
public sealed class Sequential : ILayer
{
    private readonly INetwork[] _layers;
    private readonly Parameter[] _parameters;
    private readonly float[][] _activations; // output of layer l (input of layer l + 1), l < count − 1
    private float[] _inputCopy = [];
    private float[] _gradientA = [], _gradientB = [];
    private int _threads;
    private int _rows = -1;
    private readonly bool _rectifiedChain;
    private readonly int[] _partialOffsets;
    private readonly int _partialStride;
    private readonly int _widestInput; // the widest layer input: a block's gradient buffers hold that many columns
    private float[] _blockPartials = [];

    /// <summary>Chains <paramref name="layers"/> (at least one); each layer's output width must equal the next one's input width.</summary>
    /// <exception cref="ArgumentException">The list is empty or two neighbouring widths differ.</exception>
    public Sequential(params INetwork[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("A sequential network needs at least one layer.", nameof(layers));
        for (int l = 0; l < layers.Length; l++)
        {
            if (layers[l] is null) throw new ArgumentNullException(nameof(layers), $"Layer {l} is null.");
            if (l > 0 && layers[l].InputDimension != layers[l - 1].OutputDimension)
                throw new ArgumentException($"Layer {l} takes rows of width {layers[l].InputDimension}, but layer {l - 1} produces width {layers[l - 1].OutputDimension}.", nameof(layers));
        }
        _layers = (INetwork[])layers.Clone();
        var parameters = new List<Parameter>();
        foreach (var layer in _layers) parameters.AddRange(layer.Parameters);
        _parameters = [.. parameters];
        _activations = new float[_layers.Length - 1][];
        for (int l = 0; l < _activations.Length; l++) _activations[l] = [];
        // Linear, ReLU, Linear, …, Linear: back-propagated block by block (see BackwardInBlocks).
        _rectifiedChain = _layers.Length % 2 == 1;
        for (int l = 0; l < _layers.Length; l++)
            _rectifiedChain &= l % 2 == 0 ? _layers[l] is Linear : _layers[l] is Relu;
        _partialOffsets = new int[_layers.Length];
        for (int l = 0; l < _layers.Length; l += 2)
        {
            _partialOffsets[l] = _partialStride;
            if (_layers[l] is Linear linear) _partialStride += linear.Weight.Length + linear.Bias.Length;
        }
        foreach (var layer in _layers) _widestInput = Math.Max(_widestInput, layer.InputDimension);
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<INetwork> Layers => _layers;

    /// <inheritdoc/>
    public int InputDimension => _layers[0].InputDimension;

    /// <inheritdoc/>
    public int OutputDimension => _layers[^1].OutputDimension;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Threads of the chain; setting it sets every <see cref="ILayer"/> in the chain.</summary>
    public int Threads
    {
        get => _threads;
        set
        {
            _threads = value;
            foreach (var layer in _layers)
                if (layer is ILayer threaded) threaded.Threads = value;
        }
    }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, bool training)
    {
        int length = CheckShapes(input.Length, rows, output.Length);
        if (training)
        {
            if (_inputCopy.Length < length) _inputCopy = new float[length];
            input[..length].CopyTo(_inputCopy);
            ForwardRetained(_inputCopy.AsMemory(0, length), rows, output);
            return;
        }
        // Inference keeps nothing, so the activations may flow through two of the chain's buffers.
        ReadOnlySpan<float> current = input[..length];
        int buffer = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            bool fuse = FusesRelu(l);
            if (fuse) l++;
            Span<float> next = l == _layers.Length - 1 ? output : Buffer(_activations, buffer, rows * layer.OutputDimension);
            buffer ^= 1;
            if (fuse) ((Linear)layer).ForwardRelu(current, rows, next);
            else layer.Forward(current, rows, next, training: false);
            current = next;
        }
    }

    /// <inheritdoc/>
    public void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output)
    {
        CheckShapes(input.Length, rows, output.Length);
        ForwardRetained(input, default, rows, output);
    }

    /// <summary>Whether the chain can read its input rows in place through a row index (its first layer is linear).</summary>
    internal bool ReadsIndexedRows => _layers[0] is Linear;

    /// <summary>
    /// Training forward pass of the rows <paramref name="rowIndex"/>[0 … rows) of <paramref name="table"/> (a matrix of
    /// <see cref="InputDimension"/> columns), read in place by the first (linear) layer instead of gathered first: the
    /// same values, without writing and re-reading a gathered copy. Table and index must stay unchanged until the
    /// backward pass has run.
    /// </summary>
    internal void ForwardRetainedRows(ReadOnlyMemory<float> table, ReadOnlyMemory<int> rowIndex, int rows, Span<float> output)
    {
        if (!ReadsIndexedRows) throw new InvalidOperationException("Only a chain whose first layer is linear reads indexed rows.");
        CheckShapes(0, 0, output.Length);
        if (output.Length < (long)rows * OutputDimension)
            throw new ArgumentException($"The output holds {output.Length} values; {rows} rows × {OutputDimension} columns need {(long)rows * OutputDimension}.", nameof(output));
        ForwardRetained(table, rowIndex, rows, output);
    }

    private void ForwardRetained(ReadOnlyMemory<float> input, ReadOnlyMemory<int> rowIndex, int rows, Span<float> output)
    {
        if (_rectifiedChain && rows > BlockRows)
        {
            ForwardInBlocks(input, rowIndex, rows, output);
            return;
        }
        ReadOnlyMemory<float> current = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            bool last = l == _layers.Length - 1;
            // The last layer writes straight into the caller's output: no layer needs its own output for backward
            // (a rectifier's mask can be read off its output, which is what lets a linear layer and the following
            // rectifier share one buffer and one pass).
            Memory<float> next = last ? Memory<float>.Empty : Buffer(_activations, l, rows * layer.OutputDimension).AsMemory(0, rows * layer.OutputDimension);
            Span<float> target = last ? output : next.Span;
            bool fuse = FusesRelu(l), fuseNorm = NormalisesIntoRelu(l);
            if (l == 0 && !rowIndex.IsEmpty) ((Linear)layer).ForwardRetainedRows(current, rowIndex, rows, target, relu: fuse);
            else if (fuse) ((Linear)layer).ForwardRetainedRelu(current, rows, target);
            else if (fuseNorm) ((BatchNorm)layer).ForwardRetainedRelu(current, rows, target);
            else if (layer is ILayer retaining) retaining.ForwardRetained(current, rows, target);
            else layer.Forward(current.Span, rows, target, training: true);
            if (fuse || fuseNorm) ((Relu)_layers[++l]).RetainOutput(next, rows);
            current = next;
        }
        _rows = rows;
    }

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        if (_rows < 0) throw new InvalidOperationException("Backward needs a training forward pass first.");
        int rows = _rows;
        if (outputGradient.Length < rows * OutputDimension)
            throw new ArgumentException($"The output gradient holds {outputGradient.Length} values; {rows} rows × {OutputDimension} need {rows * OutputDimension}.", nameof(outputGradient));
        if (inputGradient.IsEmpty && _rectifiedChain && rows > BlockRows)
        {
            BackwardInBlocks(outputGradient, rows);
            return;
        }
        ReadOnlySpan<float> current = outputGradient;
        int buffer = 0;
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            // A linear layer whose input came out of a rectifier applies the rectifier's mask to each finished tile of its input
            // gradient, so the rectifier's own pass is skipped.
            bool throughRelu = l >= 1 && layer is Linear && _layers[l - 1] is Relu;
            if (throughRelu) l--;
            // A rectifier that ran inside the batch normalisation before it is back-propagated inside it as well.
            bool normThroughRelu = !throughRelu && l >= 1 && NormalisesIntoRelu(l - 1);
            if (normThroughRelu) layer = _layers[--l];
            // Gradients ping-pong between two buffers: each step reads what the previous one wrote.
            Span<float> next = l == 0 ? inputGradient : GradientBuffer(buffer ^= 1, rows * _layers[l].InputDimension);
            if (normThroughRelu) ((BatchNorm)layer).BackwardThroughRelu(current, next);
            else if (throughRelu) ((Linear)layer).BackwardThroughRelu(current, next);
            else layer.Backward(current, next);
            current = next;
        }
    }

    /// <summary>
    /// Training forward pass of a linear/rectifier chain one block of rows at a time through every layer (see
    /// <see cref="BackwardInBlocks"/>): each layer's block output is still in cache when the next layer reads it. Every
    /// activation is still written out whole, for the backward pass.
    /// </summary>
    private void ForwardInBlocks(ReadOnlyMemory<float> input, ReadOnlyMemory<int> rowIndex, int rows, Span<float> output)
    {
        int last = _layers.Length - 1;
        for (int l = 0; l < last; l += 2) Buffer(_activations, l, rows * _layers[l].OutputDimension);
        int outDim = OutputDimension;
        unsafe
        {
            fixed (float* po = output)
            {
                nint result = (nint)po;
                Parallelism.ForRanges(rows, BlockRows, _threads, (first, end) =>
                {
                    int count = end - first;
                    for (int l = 0; l <= last; l += 2)
                    {
                        var linear = (Linear)_layers[l];
                        int width = linear.OutputDimension;
                        Span<float> target = l == last
                            ? new Span<float>((float*)result + (nint)first * outDim, count * outDim)
                            : _activations[l].AsSpan(first * width, count * width);
                        if (l == 0) linear.ForwardBlock(input.Span, rowIndex.Span, first, count, target, relu: l < last);
                        else linear.ForwardBlock(_activations[l - 2], default, first, count, target, relu: l < last);
                    }
                });
            }
        }
        for (int l = 0; l <= last; l += 2)
        {
            var linear = (Linear)_layers[l];
            if (l == 0) linear.Retain(input, rowIndex, rows);
            else linear.Retain(_activations[l - 2].AsMemory(0, rows * linear.InputDimension), default, rows);
            if (l < last) ((Relu)_layers[l + 1]).RetainOutput(_activations[l].AsMemory(0, rows * linear.OutputDimension), rows);
        }
        _rows = rows;
    }

    /// <summary>
    /// Rows per block of <see cref="ForwardInBlocks"/> and <see cref="BackwardInBlocks"/> (tests lower it). The blocks' bounds depend only on the row
    /// count, so the summed gradients are the same at any thread count.
    /// </summary>
    internal int BlockRows { get; set; } = 2048;

    /// <summary>
    /// Back-propagation of a linear/rectifier chain whose input gradient nobody needs (the network of a parametric
    /// embedding), one block of rows at a time through every layer instead of one layer at a time through every
    /// row: a block's gradients (a few hundred kB) stay in cache from one layer to the next, where a whole batch's
    /// (tens of MB per layer) would be written to memory and read back by each of the layer's products and sums.
    /// Each block writes its own share of every weight and bias gradient; the shares are added in block order.
    /// </summary>
    private void BackwardInBlocks(ReadOnlySpan<float> outputGradient, int rows)
    {
        int blockRows = BlockRows, blocks = (rows + blockRows - 1) / blockRows, stride = _partialStride;
        if (_blockPartials.Length < (long)blocks * stride) _blockPartials = new float[checked(blocks * stride)];
        int outDim = OutputDimension, width = _widestInput;
        unsafe
        {
            fixed (float* pg = outputGradient)
            {
                nint gradient = (nint)pg;
                Parallelism.ForRanges(rows, blockRows, _threads, (first, end) =>
                {
                    int count = end - first;
                    var upstream = new ReadOnlySpan<float>((float*)gradient + (nint)first * outDim, count * outDim);
                    var partials = _blockPartials.AsSpan(first / blockRows * stride, stride);
                    var buffers = BlockBuffers(count * width);
                    int which = 0;
                    for (int l = _layers.Length - 1; l >= 0; l -= 2)
                    {
                        var linear = (Linear)_layers[l];
                        int offset = _partialOffsets[l];
                        int weights = linear.Weight.Length;
                        Span<float> next = l == 0 ? default : buffers[which ^= 1].AsSpan(0, count * linear.InputDimension);
                        linear.BackwardBlock(upstream, first, count, partials.Slice(offset, weights),
                            partials.Slice(offset + weights, linear.OutputDimension), next, maskByInput: l > 0);
                        upstream = next;
                    }
                });
            }
        }
        // Σ over blocks in block order, then into the gradients (which accumulate, as every layer's backward does).
        for (int l = 0; l < _layers.Length; l += 2)
        {
            var linear = (Linear)_layers[l];
            int offset = _partialOffsets[l];
            AddBlockPartials(offset, linear.Weight.Gradient, blocks, stride);
            AddBlockPartials(offset + linear.Weight.Length, linear.Bias.Gradient, blocks, stride);
        }
    }

    private void AddBlockPartials(int offset, float[] gradient, int blocks, int stride)
    {
        var partials = _blockPartials;
        Parallelism.ForRanges(gradient.Length, 8192, _threads, (start, end) =>
        {
            var sum = partials.AsSpan(offset + start, end - start);
            for (int block = 1; block < blocks; block++)
                TensorPrimitives.Add(sum, partials.AsSpan(block * stride + offset + start, end - start), sum);
            var target = gradient.AsSpan(start, end - start);
            TensorPrimitives.Add(target, sum, target);
        });
    }

    /// <summary>This thread's two block gradient buffers, each of at least <paramref name="length"/> values.</summary>
    private static float[][] BlockBuffers(int length)
    {
        var buffers = t_blockBuffers ??= [[], []];
        for (int i = 0; i < 2; i++)
            if (buffers[i].Length < length) buffers[i] = new float[length];
        return buffers;
    }

    [ThreadStatic] private static float[][]? t_blockBuffers;

    /// <summary>Whether layer <paramref name="l"/> is a linear layer whose rectifier (layer l + 1, not the last layer) runs in the same pass.</summary>
    private bool FusesRelu(int l) => l + 2 < _layers.Length && _layers[l] is Linear && _layers[l + 1] is Relu;

    /// <summary>
    /// Whether layer <paramref name="l"/> is a batch normalisation whose rectifier (layer l + 1, not the last layer)
    /// runs in its training pass, forward and backward (the conv → BN → ReLU blocks of <see cref="ConvEncoder"/>).
    /// </summary>
    private bool NormalisesIntoRelu(int l) => l >= 0 && l + 2 < _layers.Length && _layers[l] is BatchNorm && _layers[l + 1] is Relu;

    private Span<float> GradientBuffer(int which, int length)
    {
        ref float[] buffer = ref which == 0 ? ref _gradientA : ref _gradientB;
        if (buffer.Length < length) buffer = new float[length];
        return buffer.AsSpan(0, length);
    }

    private static float[] Buffer(float[][] buffers, int index, int length)
    {
        if (buffers[index].Length < length) buffers[index] = new float[length];
        return buffers[index];
    }

    private int CheckShapes(int inputLength, int rows, int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        long length = (long)rows * InputDimension;
        if (inputLength < length)
            throw new ArgumentException($"The input holds {inputLength} values; {rows} rows × {InputDimension} columns need {length}.", "input");
        if (outputLength < (long)rows * OutputDimension)
            throw new ArgumentException($"The output holds {outputLength} values; {rows} rows × {OutputDimension} columns need {(long)rows * OutputDimension}.", "output");
        return (int)length;
    }
}

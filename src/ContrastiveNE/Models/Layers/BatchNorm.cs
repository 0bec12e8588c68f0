using ContrastiveNE.Data;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Models.Layers;

/// <summary>
/// Batch normalisation (Ioffe and Szegedy, 2015) over features (PyTorch's <c>BatchNorm1d</c>) or over the channels of
/// images (<c>BatchNorm2d</c>): y = γ·(x − μ)/√(σ² + ε) + β per feature or channel. In training, μ and σ² are the
/// batch's mean and biased variance (over rows, and pixels for images), and the running estimates move towards them:
/// r ← (1 − momentum)·r + momentum·batch value, using the unbiased variance n/(n − 1)·σ² for the running variance,
/// as PyTorch does. In inference the running estimates replace the batch statistics, so an output depends only on its
/// own row. γ starts at 1, β at 0, the running mean at 0 and the running variance at 1.
/// </summary>
/// <remarks>Statistics are summed in double precision, channel by channel in a fixed order: results are identical at any thread count.</remarks>
public sealed unsafe class BatchNorm : ILayer
{
    private readonly int _channels, _spatial;
    private readonly float _momentum, _epsilon;
    private readonly Parameter _gamma, _beta;
    private readonly Parameter[] _parameters;
    private readonly float[] _invStd;
    private readonly Action<int> _trainChannel, _inferChannel, _backwardChannel;
    private readonly float[] _mean;
    private float[]? _inputCopy;
    private ReadOnlyMemory<float> _input; // the input of the last training forward pass
    private bool _relu;                   // whether that pass included the rectifier
    private int _rows = -1, _callRows;
    private nint _src, _dst, _x;

    /// <summary>Normalises each of <paramref name="features"/> columns (1-D batch normalisation).</summary>
    /// <param name="features">Width of a row.</param>
    /// <param name="momentum">Weight of the batch statistics in the running estimates, in (0, 1]; default 0.1.</param>
    /// <param name="epsilon">Added to the variance before the square root, positive; default 1e-5.</param>
    /// <param name="threads">Threads; ≤ 0 uses every processor.</param>
    /// <param name="name">Prefix of the parameter names (name.weight for γ, name.bias for β).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or momentum or epsilon is out of range.</exception>
    public BatchNorm(int features, float momentum = 0.1f, float epsilon = 1e-5f, int threads = 0, string name = "batchnorm")
        : this(features, 1, momentum, epsilon, threads, name)
    {
    }

    /// <summary>Normalises each channel of <paramref name="input"/>-shaped images over the batch and its pixels (2-D batch normalisation).</summary>
    /// <param name="input">Shape of an image row.</param>
    /// <param name="momentum">Weight of the batch statistics in the running estimates, in (0, 1]; default 0.1.</param>
    /// <param name="epsilon">Added to the variance before the square root, positive; default 1e-5.</param>
    /// <param name="threads">Threads; ≤ 0 uses every processor.</param>
    /// <param name="name">Prefix of the parameter names (name.weight for γ, name.bias for β).</param>
    /// <exception cref="ArgumentOutOfRangeException">Momentum or epsilon is out of range.</exception>
    public BatchNorm(ImageShape input, float momentum = 0.1f, float epsilon = 1e-5f, int threads = 0, string name = "batchnorm")
        : this(input.Channels, input.PlaneSize, momentum, epsilon, threads, name)
    {
    }

    private BatchNorm(int channels, int spatial, float momentum, float epsilon, int threads, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1, "features");
        if (!(momentum > 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must lie in (0, 1].");
        if (!(epsilon > 0) || float.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive and finite.");
        _channels = channels;
        _spatial = spatial;
        _momentum = momentum;
        _epsilon = epsilon;
        Threads = threads;
        var gamma = new float[channels];
        Array.Fill(gamma, 1f);
        _gamma = new Parameter(name + ".weight", gamma);
        _beta = new Parameter(name + ".bias", new float[channels]);
        _parameters = [_gamma, _beta];
        RunningMean = new float[channels];
        RunningVariance = new float[channels];
        Array.Fill(RunningVariance, 1f);
        _invStd = new float[channels];
        _mean = new float[channels];
        _trainChannel = TrainChannel;
        _inferChannel = InferChannel;
        _backwardChannel = BackwardChannel;
    }

    /// <summary>Number of normalised features (1-D) or channels (2-D).</summary>
    public int Channels => _channels;

    /// <summary>Values per feature or channel in a row: 1 for 1-D normalisation, the image's pixels for 2-D.</summary>
    public int SpatialSize => _spatial;

    /// <summary>The ε added to the variance before the square root.</summary>
    public float Epsilon => _epsilon;

    /// <summary>The scale γ per feature or channel.</summary>
    public Parameter Scale => _gamma;

    /// <summary>The shift β per feature or channel.</summary>
    public Parameter Shift => _beta;

    /// <summary>Running mean per feature or channel, used in inference; updated by every training forward pass.</summary>
    public float[] RunningMean { get; }

    /// <summary>Running (unbiased) variance per feature or channel, used in inference; updated by every training forward pass.</summary>
    public float[] RunningVariance { get; }

    /// <inheritdoc/>
    public int InputDimension => _channels * _spatial;

    /// <inheritdoc/>
    public int OutputDimension => InputDimension;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public int Threads { get; set; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Training on a batch with a single value per channel (its variance is undefined).</exception>
    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, bool training)
    {
        LayerBuffers.CheckForward(this, input, rows, output);
        if (!training)
        {
            _rows = -1;
            Run(input, output, rows, _inferChannel);
            return;
        }
        // The backward pass recomputes x̂ from the input, so training keeps a copy of it.
        int length = rows * InputDimension;
        float[] copy = LayerBuffers.Ensure(ref _inputCopy, length);
        input[..length].CopyTo(copy);
        ForwardRetained(copy.AsMemory(0, length), rows, output);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A batch with a single value per channel (its variance is undefined).</exception>
    public void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output) =>
        Train(input, rows, output, relu: false);

    /// <summary>
    /// Training forward pass followed by ReLU in the same pass (used by <see cref="Sequential"/> for batch
    /// normalisation followed by a <see cref="Relu"/>): the same values as the two layers one after the other. The
    /// backward pass must then be <see cref="BackwardThroughRelu"/>.
    /// </summary>
    internal void ForwardRetainedRelu(ReadOnlyMemory<float> input, int rows, Span<float> output) =>
        Train(input, rows, output, relu: true);

    private void Train(ReadOnlyMemory<float> input, int rows, Span<float> output, bool relu)
    {
        LayerBuffers.CheckForward(this, input.Span, rows, output);
        if ((long)rows * _spatial < 2)
            throw new ArgumentException("Batch normalisation in training needs more than one value per channel; pass at least two rows.", nameof(rows));
        // x̂ is not stored: the backward pass recomputes it from the retained input with the same float operations.
        _input = input;
        _relu = relu;
        Run(input.Span, output, rows, _trainChannel);
        _rows = rows;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// After <see cref="ForwardRetainedRelu"/> this is <see cref="BackwardThroughRelu"/>: a gradient that already went
    /// through the rectifier's mask (by a linear layer after it, see <see cref="Linear"/>) is unchanged by masking again.
    /// </remarks>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        LayerBuffers.CheckBackward(this, _rows, outputGradient, inputGradient);
        RunBackward(outputGradient, inputGradient);
    }

    /// <summary>
    /// Backward pass of batch normalisation and the rectifier after it, for a forward pass by
    /// <see cref="ForwardRetainedRelu"/>: the rectifier's mask (its input &gt; 0, i.e. γ·x̂ + β &gt; 0) is recomputed
    /// from the retained input and applied to <paramref name="outputGradient"/> on the fly — the same values as the
    /// rectifier's backward pass followed by this layer's, without the rectifier's pass over memory.
    /// </summary>
    internal void BackwardThroughRelu(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        LayerBuffers.CheckBackward(this, _rows, outputGradient, inputGradient);
        if (!_relu) throw new InvalidOperationException("The last forward pass did not include the rectifier.");
        RunBackward(outputGradient, inputGradient);
    }

    private void RunBackward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        fixed (float* x = _input.Span) { _x = (nint)x; Run(outputGradient, inputGradient, _rows, _backwardChannel); }
    }

    private void Run(ReadOnlySpan<float> source, Span<float> destination, int rows, Action<int> body)
    {
        _callRows = rows;
        fixed (float* src = source)
        fixed (float* dst = destination)
        {
            _src = (nint)src;
            _dst = destination.IsEmpty ? 0 : (nint)dst;
            Parallelism.For(_channels, Threads, body);
        }
    }

    private void TrainChannel(int c)
    {
        int dim = InputDimension, s = _spatial, rows = _callRows;
        float* x = (float*)_src, y = (float*)_dst;
        long count = (long)rows * s;
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += ChannelKernels.Sum(x + (long)r * dim + c * s, s);
        double mean = sum / count;
        double squares = 0;
        for (int r = 0; r < rows; r++) squares += ChannelKernels.SquaredDeviations(x + (long)r * dim + c * s, s, mean);
        double variance = squares / count;
        float invStd = (float)(1.0 / Math.Sqrt(variance + _epsilon));
        float m = (float)mean, gamma = _gamma.Value[c], beta = _beta.Value[c];
        _mean[c] = m;
        _invStd[c] = invStd;
        for (int r = 0; r < rows; r++)
        {
            long offset = (long)r * dim + c * s;
            ChannelKernels.Normalise(x + offset, y + offset, s, m, invStd, gamma, beta, _relu);
        }
        RunningMean[c] = (1 - _momentum) * RunningMean[c] + _momentum * m;
        RunningVariance[c] = (float)((1 - _momentum) * RunningVariance[c] + _momentum * squares / (count - 1));
    }

    private void InferChannel(int c)
    {
        int dim = InputDimension, s = _spatial, rows = _callRows;
        float* x = (float*)_src, y = (float*)_dst;
        // y = γ·(x − r_μ)/√(r_σ² + ε) + β, folded into one scale and shift.
        float scale = _gamma.Value[c] / MathF.Sqrt(RunningVariance[c] + _epsilon);
        float shift = _beta.Value[c] - scale * RunningMean[c];
        for (int r = 0; r < rows; r++)
        {
            long offset = (long)r * dim + c * s;
            ChannelKernels.Affine(x + offset, y + offset, s, scale, shift);
        }
    }

    private void BackwardChannel(int c)
    {
        // With x̂ = (x − μ)·σ̂⁻¹ and M values per channel, the batch statistics couple the whole channel:
        //   ∂L/∂x = γ·σ̂⁻¹·(∂L/∂y − mean(∂L/∂y) − x̂·mean(∂L/∂y · x̂)).
        int dim = InputDimension, s = _spatial, rows = _callRows;
        float* dy = (float*)_src, dx = (float*)_dst, x = (float*)_x;
        var affine = new ChannelKernels.ChannelAffine(_mean[c], _invStd[c], _gamma.Value[c], _beta.Value[c], _relu);
        double sumDy = 0, sumDyXhat = 0;
        for (int r = 0; r < rows; r++)
        {
            long offset = (long)r * dim + c * s;
            ChannelKernels.GradientSums(dy + offset, x + offset, s, affine, ref sumDy, ref sumDyXhat);
        }
        _beta.Gradient[c] += (float)sumDy;
        _gamma.Gradient[c] += (float)sumDyXhat;
        if (dx == null) return;
        long count = (long)rows * s;
        float meanDy = (float)(sumDy / count), meanDyXhat = (float)(sumDyXhat / count);
        float factor = _gamma.Value[c] * _invStd[c];
        for (int r = 0; r < rows; r++)
        {
            long offset = (long)r * dim + c * s;
            ChannelKernels.InputGradient(dy + offset, x + offset, dx + offset, s, affine, factor, meanDy, meanDyXhat);
        }
    }
}

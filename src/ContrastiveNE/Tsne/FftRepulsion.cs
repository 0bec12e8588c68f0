using ContrastiveNE.Threading;

namespace ContrastiveNE.Tsne;

/// <summary>
/// The repulsive half of the t-SNE gradient in two dimensions in O(n + M² log M) per call, by FFT-accelerated
/// interpolation (Linderman et al. 2019, "Fast interpolation-based t-SNE", the method of FIt-SNE and openTSNE).
/// With the Cauchy kernel q = 1/(1 + d²), the repulsion on point i is Σⱼ q²ᵢⱼ (yᵢ − yⱼ) / Z and the normaliser
/// Z = Σ_{i≠j} qᵢⱼ. Both are sums of the smooth kernel q² against four charges: with φ_c(y) = Σⱼ q²(y, yⱼ) c(yⱼ) for
/// c ∈ {1, y₁, y₂, |y|²}, the force numerator is yᵢ φ₁ − (φ_{y₁}, φ_{y₂}) and, since q = q²(1 + |yᵢ − yⱼ|²),
/// Σⱼ qᵢⱼ = (1 + |yᵢ|²) φ₁ − 2 yᵢ·φ_y + φ_{|y|²} (self terms removed afterwards).
/// The points' bounding square is cut into B × B boxes with p equispaced Lagrange nodes per box side, so the nodes
/// form an equispaced N × N grid (N = p·B). Charges are spread to the nodes of each point's box with the Lagrange
/// weights, the grid is convolved with the kernel sampled at node offsets — a Toeplitz product computed as a
/// circular convolution on an M × M array, M ≥ 2N, by FFT — and the potentials are interpolated back with the same
/// weights. The four real charge grids travel as two complex grids (1 + i·y₁, y₂ + i·|y|²): the kernel is even,
/// so its spectrum is real and the real and imaginary parts convolve independently.
/// The work is deterministic and does not depend on the thread count.
/// </summary>
internal sealed class FftRepulsion
{
    /// <summary>Lagrange nodes per box side, p (FIt-SNE's default 3).</summary>
    public int InterpolationPoints { get; init; } = 3;

    /// <summary>The widest box allowed, in embedding units (FIt-SNE's default: one box per unit).</summary>
    public double MaxBoxWidth { get; init; } = 1.0;

    /// <summary>Fewest boxes per side, however small the embedding (FIt-SNE's default is 50; 40 fills a 256-point FFT).</summary>
    public int MinBoxes { get; init; } = 40;

    /// <summary>The largest FFT side M; a wider embedding gets wider boxes instead (memory 6 M² doubles; on Fashion-MNIST 70k, 512 instead of 1024 kept recall@15 0.257 vs 0.258 and saved 8% of the run).</summary>
    public int MaxGridSize { get; init; } = 512;

    private Fft2d? _fft;
    private double[] _aRe = [], _aIm = [], _bRe = [], _bIm = [], _kRe = [], _kIm = [];
    private int[] _cellX = [], _cellY = [];
    private double[] _wx = [], _wy = [];
    private readonly double[] _partials = new double[Units];

    /// <summary>Fixed number of point ranges for the reductions (independent of the thread count).</summary>
    private const int Units = 64;

    /// <summary>Stopwatch ticks per stage (weights, spread, forward, multiply, inverse, interpolate), for benchmarks.</summary>
    internal readonly long[] StageTicks = new long[6];

    /// <summary>The grid side M of the last call (for reports).</summary>
    public int LastGridSize => _fft?.Size ?? 0;

    /// <summary>
    /// Writes Σⱼ q²ᵢⱼ (yᵢ − yⱼ) for every point into <paramref name="forces"/> (n × 2) and returns Z = Σ_{i≠j} qᵢⱼ.
    /// </summary>
    /// <param name="positions">n × 2 positions, row-major, finite.</param>
    /// <param name="forces">n × 2 output.</param>
    /// <param name="threads">Threads (≤ 0: all).</param>
    public double Compute(float[] positions, double[] forces, int threads)
    {
        int n = positions.Length / 2;
        if (n == 0) return 0;
        float minX = float.MaxValue, maxX = float.MinValue, minY = float.MaxValue, maxY = float.MinValue;
        for (int i = 0; i < n; i++)
        {
            float x = positions[2 * i], y = positions[2 * i + 1];
            if (x < minX) minX = x;
            if (x > maxX) maxX = x;
            if (y < minY) minY = y;
            if (y > maxY) maxY = y;
        }
        // A square box around the points, a hair larger so the largest coordinate falls inside the last box.
        double range = Math.Max(Math.Max(maxX - minX, maxY - minY), 1e-3) * (1 + 1e-6) + 1e-9;
        double cx = 0.5 * ((double)minX + maxX), cy = 0.5 * ((double)minY + maxY);
        double x0 = cx - range / 2, y0 = cy - range / 2;
        int p = InterpolationPoints;
        int boxes = Math.Max(MinBoxes, (int)Math.Ceiling(range / MaxBoxWidth));
        int m = 2;
        while (m < 2 * p * boxes && m < MaxGridSize) m *= 2;
        boxes = m / (2 * p); // the FFT is padded to a power of two anyway: spend it on narrower boxes
        int grid = p * boxes;
        // The node spacing is rounded up to a ladder of ratio 2^(1/8), so the kernel's spectrum (which depends only on
        // M and the spacing) is reused for the many epochs in which the embedding's extent stays on one rung; the
        // grid, centred on the points, then covers a little more than their extent.
        double spacing = Math.Pow(2, Math.Ceiling(8 * Math.Log2(range / grid)) / 8);
        range = spacing * grid;
        x0 = cx - range / 2;
        y0 = cy - range / 2;
        Prepare(n, m);
        var fft = _fft!;

        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        // Lagrange weights of each point in its box (nodes at local positions 0 … p−1, in units of the spacing).
        var pos = positions;
        var scales = LagrangeScales(p);
        double inverseSpacing = 1 / spacing, inverseP = 1.0 / p;
        Parallelism.ForRanges(n, 4096, threads, (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                double u = (pos[2 * i] - x0) * inverseSpacing, v = (pos[2 * i + 1] - y0) * inverseSpacing;
                int bx = Math.Min(boxes - 1, (int)(u * inverseP)), by = Math.Min(boxes - 1, (int)(v * inverseP));
                _cellX[i] = bx * p;
                _cellY[i] = by * p;
                Lagrange(u - bx * p - 0.5, scales, _wx.AsSpan(i * p, p));
                Lagrange(v - by * p - 0.5, scales, _wy.AsSpan(i * p, p));
            }
        });

        long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        // Spread the charges (coordinates relative to the box centre keep |y|² small): SpreadUnits fixed point ranges,
        // each into its own grid — the first into the transform's arrays, the others into grid × grid partials — then
        // the partials added in unit order, so the sums do not depend on the thread count.
        // Whole arrays: rows past the grid hold the last inverse transform's intermediate values.
        Array.Clear(_aRe);
        Array.Clear(_aIm);
        Array.Clear(_bRe);
        Array.Clear(_bIm);
        int cells = grid * grid;
        if (_partial.Length < 4 * (SpreadUnits - 1) * cells) _partial = new double[4 * (SpreadUnits - 1) * cells];
        else Array.Clear(_partial, 0, 4 * (SpreadUnits - 1) * cells);
        int spreadGrain = (n + SpreadUnits - 1) / SpreadUnits;
        Parallelism.For(SpreadUnits, threads, unit =>
        {
            int s = unit * spreadGrain, e = Math.Min(n, s + spreadGrain);
            if (unit == 0) Spread(pos, s, e, cx, cy, p, _aRe, _aIm, _bRe, _bIm, m);
            else
            {
                var part = _partial.AsSpan(4 * (unit - 1) * cells, 4 * cells);
                Spread(pos, s, e, cx, cy, p, part[..cells], part.Slice(cells, cells), part.Slice(2 * cells, cells), part.Slice(3 * cells, cells), grid);
            }
        });
        Parallelism.ForRanges(grid, 16, threads, (s, e) =>
        {
            for (int row = s; row < e; row++)
                for (int unit = 1; unit < SpreadUnits; unit++)
                {
                    int at = 4 * (unit - 1) * cells + row * grid;
                    for (int col = 0; col < grid; col++)
                    {
                        int cell = row * m + col;
                        _aRe[cell] += _partial[at + col];
                        _aIm[cell] += _partial[at + cells + col];
                        _bRe[cell] += _partial[at + 2 * cells + col];
                        _bIm[cell] += _partial[at + 3 * cells + col];
                    }
                }
        });

        long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
        // The kernel q² at every node offset (−(N−1) … N−1 per axis, wrapped), and its (real) spectrum.
        if (_kernelSpacing != spacing || _kernelGrid != grid) Kernel(m, grid, spacing, threads);
        fft.Forward(_aRe, _aIm, grid, threads);
        fft.Forward(_bRe, _bIm, grid, threads);
        long t3 = System.Diagnostics.Stopwatch.GetTimestamp();
        Parallelism.ForRanges(m, 32, threads, (s, e) =>
        {
            for (int i = s * m; i < e * m; i++)
            {
                double k = _kRe[i];
                _aRe[i] *= k; _aIm[i] *= k; _bRe[i] *= k; _bIm[i] *= k;
            }
        });
        long t4 = System.Diagnostics.Stopwatch.GetTimestamp();
        fft.Inverse(_aRe, _aIm, grid, threads);
        fft.Inverse(_bRe, _bIm, grid, threads);

        long t5 = System.Diagnostics.Stopwatch.GetTimestamp();
        // Interpolate the potentials back; forces and each range's part of Σ q.
        var forceArray = forces;
        int grain = (n + Units - 1) / Units;
        Array.Clear(_partials);
        Parallelism.For(Units, threads, unit =>
        {
            int s = unit * grain, e = Math.Min(n, s + grain);
            double z = 0;
            for (int i = s; i < e; i++)
            {
                double phi1 = 0, phiX = 0, phiY = 0, phiR = 0;
                int gx = _cellX[i], gy = _cellY[i];
                for (int ky = 0; ky < p; ky++)
                {
                    double wy = _wy[i * p + ky];
                    int row = (gy + ky) * m + gx;
                    for (int kx = 0; kx < p; kx++)
                    {
                        double w = wy * _wx[i * p + kx];
                        phi1 += w * _aRe[row + kx];
                        phiX += w * _aIm[row + kx];
                        phiY += w * _bRe[row + kx];
                        phiR += w * _bIm[row + kx];
                    }
                }
                double x = pos[2 * i] - cx, y = pos[2 * i + 1] - cy;
                forceArray[2 * i] = x * phi1 - phiX;
                forceArray[2 * i + 1] = y * phi1 - phiY;
                z += (1 + x * x + y * y) * phi1 - 2 * (x * phiX + y * phiY) + phiR;
            }
            _partials[unit] = z;
        });
        long t6 = System.Diagnostics.Stopwatch.GetTimestamp();
        long[] stamps = [t0, t1, t2, t3, t4, t5, t6];
        for (int k = 0; k < 6; k++) StageTicks[k] += stamps[k + 1] - stamps[k];
        double total = 0;
        foreach (double z in _partials) total += z;
        return total - n; // each point's own term q(0) = 1
    }

    /// <summary>Point ranges spread into grids of their own (fixed, so the sums do not depend on the thread count).</summary>
    private const int SpreadUnits = 4;

    private double[] _partial = [];

    /// <summary>Spreads the charges of points s … e − 1 onto four grids of row stride <paramref name="stride"/>.</summary>
    private void Spread(float[] pos, int s, int e, double cx, double cy, int p, Span<double> aRe, Span<double> aIm, Span<double> bRe, Span<double> bIm,
        int stride)
    {
        for (int i = s; i < e; i++)
        {
            double x = pos[2 * i] - cx, y = pos[2 * i + 1] - cy, r2 = x * x + y * y;
            int gx = _cellX[i], gy = _cellY[i];
            for (int ky = 0; ky < p; ky++)
            {
                double wy = _wy[i * p + ky];
                int row = (gy + ky) * stride + gx;
                for (int kx = 0; kx < p; kx++)
                {
                    double w = wy * _wx[i * p + kx];
                    aRe[row + kx] += w;
                    aIm[row + kx] += w * x;
                    bRe[row + kx] += w * y;
                    bIm[row + kx] += w * r2;
                }
            }
        }
    }

    private double _kernelSpacing = double.NaN;
    private int _kernelGrid;

    private void Kernel(int m, int grid, double spacing, int threads)
    {
        Array.Clear(_kIm);
        Parallelism.ForRanges(m, 32, threads, (s, e) =>
        {
            for (int a = s; a < e; a++)
            {
                int da = a < grid ? a : a > m - grid ? a - m : int.MinValue;
                for (int b = 0; b < m; b++)
                {
                    int db = b < grid ? b : b > m - grid ? b - m : int.MinValue;
                    double value = 0;
                    if (da != int.MinValue && db != int.MinValue)
                    {
                        double d2 = spacing * spacing * ((double)da * da + (double)db * db);
                        double q = 1 / (1 + d2);
                        value = q * q;
                    }
                    _kRe[a * m + b] = value;
                }
            }
        });
        _fft!.Forward(_kRe, _kIm, m, threads);
        _kernelSpacing = spacing;
        _kernelGrid = grid;
    }

    /// <summary>
    /// Lagrange basis values at <paramref name="t"/> for nodes 0 … p−1: Πₗ≠ₖ (t − l) times the constant
    /// 1 / Πₗ≠ₖ (k − l) of <paramref name="scales"/> (no divisions per point: they were most of this stage's time).
    /// </summary>
    private static void Lagrange(double t, ReadOnlySpan<double> scales, Span<double> weights)
    {
        int p = weights.Length;
        for (int k = 0; k < p; k++)
        {
            double w = scales[k];
            for (int l = 0; l < p; l++)
                if (l != k) w *= t - l;
            weights[k] = w;
        }
    }

    /// <summary>1 / Πₗ≠ₖ (k − l) for nodes k = 0 … p − 1.</summary>
    private static double[] LagrangeScales(int p)
    {
        var scales = new double[p];
        for (int k = 0; k < p; k++)
        {
            double d = 1;
            for (int l = 0; l < p; l++)
                if (l != k) d *= k - l;
            scales[k] = 1 / d;
        }
        return scales;
    }

    private void Prepare(int n, int m)
    {
        if (_fft?.Size != m)
        {
            _fft = new Fft2d(m);
            int size = m * m;
            _aRe = new double[size]; _aIm = new double[size];
            _bRe = new double[size]; _bIm = new double[size];
            _kRe = new double[size]; _kIm = new double[size];
            _kernelSpacing = double.NaN;
        }
        int p = InterpolationPoints;
        if (_cellX.Length != n)
        {
            _cellX = new int[n];
            _cellY = new int[n];
        }
        if (_wx.Length != n * p)
        {
            _wx = new double[n * p];
            _wy = new double[n * p];
        }
    }

    /// <summary>The same quantities by the exact O(n²) sums (tests and small data).</summary>
    public static double Exact(ReadOnlySpan<float> positions, Span<double> forces)
    {
        int n = positions.Length / 2;
        double z = 0;
        for (int i = 0; i < n; i++)
        {
            double fx = 0, fy = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double dx = positions[2 * i] - positions[2 * j], dy = positions[2 * i + 1] - positions[2 * j + 1];
                double q = 1 / (1 + dx * dx + dy * dy);
                z += q;
                fx += q * q * dx;
                fy += q * q * dy;
            }
            forces[2 * i] = fx;
            forces[2 * i + 1] = fy;
        }
        return z;
    }
}

using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Training;

/// <summary>
/// Places new points into a fixed map (docs/transform.md): each new point starts at the inverse-distance-weighted
/// mean of its training neighbours' positions and is then optimised alone with the fit's row loss and similarity —
/// one positive per edge to a training neighbour, negatives drawn uniformly from the training positions — while
/// the training positions stay fixed. Every epoch steps every point once by the clipped sum of its edges' gradients,
/// at a learning rate that decays linearly to 0 over the epochs.
/// </summary>
/// <remarks>
/// Ownership: a new point reads only the (read-only) training positions and writes only its own row; it never
/// sees another new point. Each point draws its negatives from its own stream, derived from (seed, point index),
/// so the result is bit-identical at any thread count and does not depend on which other points are placed.
/// </remarks>
internal static class NewPointTrainer
{
    /// <summary>Stream tag of the placement's generators ("tran"), apart from every stream a fit uses.</summary>
    private const ulong StreamTag = 0x7472_616EUL << 32;

    /// <summary>New points per work unit and per cancellation check.</summary>
    private const int Grain = 64;

    /// <summary>The same floor the batch loss applies to a cosine temperature.</summary>
    private const float TemperatureFloor = 0.02f;

    /// <summary>
    /// Positions of the <paramref name="neighbors"/>.Count new points in the map <paramref name="positions"/> (n × d,
    /// not modified) of a fit with <paramref name="fit"/>, its learned <paramref name="z"/> and <paramref name="temperature"/>.
    /// </summary>
    public static Matrix Place(Matrix positions, KnnResult neighbors, CneOptions fit, double z, double temperature,
        CneTransformOptions transform, CancellationToken cancellationToken)
    {
        int n = positions.Rows, d = positions.Columns;
        var result = new Matrix(neighbors.Count, d);
        Initialize(result, positions, neighbors);
        if (transform.Epochs == 0 || neighbors.Count == 0) return result;
        int m = transform.NegativesFor(fit);
        // The spectrum value of the fit's loss as if it had drawn m negatives (neg with s or Z̄ scales with m).
        float spec = (float)ResolvedSpectrum.Resolve(fit with { NegativeSamples = m }, n).Value;
        float low = (float)fit.EffectiveClampLow, high = (float)fit.EffectiveClampHigh;
        float kappa = (float)(fit.Temperature / fit.BaseTemperature);
        var run = new Run(positions, neighbors, result, fit, transform, m, (float)temperature, cancellationToken);
        switch (fit.Loss)
        {
            case LossMode.Neg or LossMode.Nce:
                run.Execute(new EstimatorLoss(fit.Loss == LossMode.Nce ? (float)(z * m) : spec, low, high));
                break;
            case LossMode.Umap:
                run.Execute(new UmapLoss(low, high));
                break;
            default:
                run.Execute(new InfoNceLoss(kappa, spec, low, high, includePositive: fit.Loss == LossMode.InfoNce));
                break;
        }
        return result;
    }

    /// <summary>
    /// Each new point at the mean of its neighbours' positions weighted by 1 / distance (a nearer neighbour says more
    /// about where the point belongs); when some neighbours coincide with the point, the plain mean of those.
    /// </summary>
    internal static void Initialize(Matrix result, Matrix positions, KnnResult neighbors)
    {
        int d = positions.Columns, k = neighbors.K;
        var sum = new double[d];
        for (int i = 0; i < neighbors.Count; i++)
        {
            var indices = neighbors.NeighborsOf(i);
            var distances = neighbors.Distances.AsSpan(i * k, k);
            bool exact = distances[0] == 0; // sorted: a zero distance comes first
            double total = 0;
            Array.Clear(sum);
            for (int t = 0; t < k; t++)
            {
                if (exact && distances[t] != 0) break;
                double w = exact ? 1.0 : 1.0 / distances[t];
                total += w;
                var p = positions.Row(indices[t]);
                for (int c = 0; c < d; c++) sum[c] += w * p[c];
            }
            var row = result.Row(i);
            for (int c = 0; c < d; c++) row[c] = (float)(sum[c] / total);
        }
    }

    /// <summary>One placement: the shared read-only inputs and the loop over points.</summary>
    private sealed class Run(Matrix positions, KnnResult neighbors, Matrix result, CneOptions fit, CneTransformOptions transform, int m,
        float temperature, CancellationToken cancellationToken)
    {
        public void Execute<TLoss>(TLoss loss) where TLoss : struct, IRowLoss
        {
            int threads = transform.Threads ?? fit.Threads;
            Parallelism.ForRanges(neighbors.Count, Grain, threads, (start, end) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var scratch = new Scratch(m, positions.Columns);
                for (int i = start; i < end; i++) PlacePoint(loss, i, scratch);
            });
        }

        private void PlacePoint<TLoss>(TLoss loss, int i, Scratch s) where TLoss : struct, IRowLoss
        {
            int n = positions.Rows, d = positions.Columns, k = neighbors.K, epochs = transform.Epochs;
            float eps = MathF.Max((float)fit.Eps, BatchLoss.MinimumEps);
            bool cosine = fit.Metric == SimilarityMetric.Cosine;
            float tau = MathF.Max(temperature, TemperatureFloor);
            bool floored = temperature < TemperatureFloor;
            float? clip = fit.ClipValue is { } bound ? (float)bound : null;
            double lr0 = transform.LearningRate ?? fit.EffectiveLearningRate;
            var random = Xoshiro256.Create(unchecked((ulong)(transform.Seed ?? fit.Seed)), StreamTag | (uint)i);
            var y = result.Row(i);
            var train = positions.Data;
            var indices = neighbors.NeighborsOf(i);
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                float lr = (float)(lr0 * (1.0 - (double)epoch / epochs));
                Array.Clear(s.Gradient);
                y.CopyTo(s.Rows); // row 0 is the head, rows 1 … m + 1 its positive and negatives
                for (int t = 0; t < k; t++)
                {
                    train.AsSpan(indices[t] * d, d).CopyTo(s.Rows.AsSpan(d, d));
                    for (int r = 2; r < m + 2; r++) train.AsSpan(random.NextInt(n) * d, d).CopyTo(s.Rows.AsSpan(r * d, d));
                    if (cosine)
                    {
                        s.Normalise(d);
                        Accumulate(loss, new CosineSimilarity(s.Unit, s.InverseNorms, d, tau, floored), s);
                    }
                    else Accumulate(loss, new CauchySimilarity(s.Rows, d, eps), s);
                }
                for (int c = 0; c < d; c++)
                {
                    float g = s.Gradient[c];
                    if (clip is { } limit) g = Math.Clamp(g, -limit, limit);
                    y[c] -= lr * g;
                }
                for (int c = 0; c < d; c++)
                    if (!float.IsFinite(y[c]))
                        throw new NonFiniteTrainingException(epoch, null, $"new point {i} of the transform left the finite range");
            }
        }

        /// <summary>Adds one edge's dℓ/d(head) to the point's gradient (what the row pushes onto training rows is dropped).</summary>
        private static void Accumulate<TLoss, TSim>(TLoss loss, TSim sim, Scratch s) where TLoss : struct, IRowLoss where TSim : struct, ISimilarity
        {
            int columns = s.Q.Length;
            for (int t = 0; t < columns; t++) s.Q[t] = sim.Q(0, t + 1);
            float specGradient = 0;
            Array.Clear(s.Sink);
            loss.Row(s.Q, s.Dq, ref specGradient);
            for (int t = 0; t < columns; t++) sim.Backward(0, t + 1, s.Q[t], s.Dq[t], ref s.Gradient[0], ref s.Sink[0]);
        }
    }

    /// <summary>One work unit's buffers: the head, positive and negatives of an edge, their similarities and the gradients.</summary>
    private sealed class Scratch(int m, int d)
    {
        public readonly float[] Rows = new float[(m + 2) * d];
        public readonly float[] Unit = new float[(m + 2) * d];
        public readonly float[] InverseNorms = new float[m + 2];
        public readonly float[] Q = new float[m + 1];
        public readonly float[] Dq = new float[m + 1];
        public readonly float[] Gradient = new float[d];
        public readonly float[] Sink = new float[d];

        /// <summary>Unit rows and inverse norms as the batch loss forms them (u = F / max(‖F‖, 1e-12)).</summary>
        public void Normalise(int d)
        {
            for (int r = 0; r < InverseNorms.Length; r++)
            {
                var row = Rows.AsSpan(r * d, d);
                float norm = MathF.Max(MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(row, row)), 1e-12f);
                InverseNorms[r] = 1f / norm;
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, InverseNorms[r], Unit.AsSpan(r * d, d));
            }
        }
    }
}

using ContrastiveNE.Losses;

namespace ContrastiveNE.Tests.Losses;

/// <summary>
/// A plain double-precision transcription of docs/method.md §2 (one head at a time, clamps as min/max), independent of the
/// kernel's rewrites, used as the reference for values and finite differences.
/// </summary>
internal sealed record ReferenceLoss(LossMode Mode, SimilarityMetric Metric, double Spec, double Eps, double Temperature,
    double BaseTemperature, double LogZ, double ClampLow, double ClampHigh, LossAggregation Aggregation)
{
    /// <summary>τ₀ of κ = τ₀/base: the run's initial temperature, fixed while τ is learned; null means <see cref="Temperature"/>.</summary>
    public double? InitialTemperature { get; init; }

    public double Evaluate(double[] f, int b, int d, int[] columns, int m)
    {
        double total = 0;
        double tau = Math.Max(Temperature, 0.02);
        for (int i = 0; i < b; i++)
        {
            var q = new double[m + 1];
            for (int k = 0; k <= m; k++)
            {
                int j = columns[i * (m + 1) + k];
                if (Metric == SimilarityMetric.Euclidean)
                {
                    double d2 = 0;
                    for (int t = 0; t < d; t++) { double x = f[i * d + t] - f[j * d + t]; d2 += x * x; }
                    q[k] = 1.0 / (Eps + d2);
                }
                else
                {
                    double dot = 0, ni = 0, nj = 0;
                    for (int t = 0; t < d; t++) { dot += f[i * d + t] * f[j * d + t]; ni += f[i * d + t] * f[i * d + t]; nj += f[j * d + t] * f[j * d + t]; }
                    q[k] = Math.Exp(dot / (Math.Max(Math.Sqrt(ni), 1e-12) * Math.Max(Math.Sqrt(nj), 1e-12)) / tau);
                }
            }
            total += Row(q, m);
        }
        if (Aggregation == LossAggregation.Mean)
            total /= Mode is LossMode.InfoNce or LossMode.InfoNceAlt ? b : b * (m + 1.0);
        return total;
    }

    private double Clamp(double x) => Math.Min(Math.Max(x, ClampLow), ClampHigh);

    private double Row(double[] q, int m)
    {
        switch (Mode)
        {
            case LossMode.Neg or LossMode.Nce:
            {
                double c = Mode == LossMode.Nce ? Math.Exp(LogZ) * m : Spec;
                double l = -Math.Log(Clamp(q[0] / (q[0] + c)));
                for (int k = 1; k <= m; k++) l -= Math.Log(Clamp(1 - q[k] / (q[k] + c)));
                return l;
            }
            case LossMode.Umap:
            {
                double l = -Math.Log(Clamp(q[0]));
                for (int k = 1; k <= m; k++) l -= Math.Log(Clamp(1 - q[k]));
                return l;
            }
            default:
            {
                double kappa = (InitialTemperature ?? Temperature) / BaseTemperature;
                double sum = Mode == LossMode.InfoNce ? Clamp(q[0]) : 0;
                for (int k = 1; k <= m; k++) sum += Clamp(q[k]);
                return -kappa * (Math.Log(Clamp(q[0])) - Math.Log(sum) / Spec);
            }
        }
    }

    /// <summary>Central differences of <see cref="Evaluate"/> with respect to every feature value.</summary>
    public double[] NumericGradient(double[] f, int b, int d, int[] columns, int m, double h = 1e-6)
    {
        var g = new double[f.Length];
        for (int i = 0; i < f.Length; i++)
        {
            double keep = f[i];
            f[i] = keep + h; double up = Evaluate(f, b, d, columns, m);
            f[i] = keep - h; double down = Evaluate(f, b, d, columns, m);
            f[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    /// <summary>d loss / d log Z by central differences (nce).</summary>
    public double NumericLogZGradient(double[] f, int b, int d, int[] columns, int m, double h = 1e-6) =>
        ((this with { LogZ = LogZ + h }).Evaluate(f, b, d, columns, m) - (this with { LogZ = LogZ - h }).Evaluate(f, b, d, columns, m)) / (2 * h);
}

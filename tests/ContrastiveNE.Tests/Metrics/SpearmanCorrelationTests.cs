using ContrastiveNE.Data;
using ContrastiveNE.Metrics;
using static ContrastiveNE.Tests.Metrics.KnnRecallTests;

namespace ContrastiveNE.Tests.Metrics;

public sealed class SpearmanCorrelationTests
{
    [Fact]
    public void Ties_get_average_ranks()
    {
        Assert.Equal([1.0, 3.5, 3.5, 5, 2], SpearmanCorrelation.Ranks([1, 7, 7, 8, 5]));
        Assert.Equal([2.0, 2, 2], SpearmanCorrelation.Ranks([4, 4, 4]));
    }

    [Fact]
    public void Matches_a_hand_computed_value_with_ties()
    {
        // Ranks x: 1..5; y = 5 6 7 8 7 → 1 2 3.5 5 3.5. Centred (mean 3): a = −2 −1 0 1 2, b = −2 −1 .5 2 .5.
        // Σab = 8, Σa² = 10, Σb² = 9.5 → ρ = 8 / √95.
        Assert.Equal(8 / Math.Sqrt(95), SpearmanCorrelation.Compute([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 14);
        Assert.Equal(1.0, SpearmanCorrelation.Compute([1, 2, 3], [10, 200, 3000]), 15);
        Assert.Equal(-1.0, SpearmanCorrelation.Compute([1, 2, 3], [3, 2, 1]), 15);
    }

    [Fact]
    public void Constant_sample_is_an_error_not_NaN()
    {
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Compute([1, 2, 3], [4, 4, 4])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Compute([1, 2, 3], [4, 4])).ParamName);
    }

    [Fact]
    public void Distance_correlation_is_one_for_similar_embeddings_and_near_zero_for_unrelated_ones()
    {
        var data = Random(500, 5, 21);
        var scaled = data.Clone();
        for (int i = 0; i < scaled.Data.Length; i++) scaled.Data[i] = -3 * scaled.Data[i] + 1;
        Assert.Equal(1.0, SpearmanCorrelation.OfDistances(data, scaled, pairs: 5000), 12);
        double unrelated = SpearmanCorrelation.OfDistances(data, Random(500, 2, 22), pairs: 20_000);
        Assert.InRange(unrelated, -0.05, 0.05);
        Assert.Equal(unrelated, SpearmanCorrelation.OfDistances(data, Random(500, 2, 22), pairs: 20_000));
        Assert.NotEqual(unrelated, SpearmanCorrelation.OfDistances(data, Random(500, 2, 22), pairs: 20_000, seed: 1));
    }

    [Fact]
    public void Distance_correlation_of_three_points_on_a_line_matches_the_rank_order()
    {
        // Data 0, 1, 3 (distances d01 = 1, d12 = 2, d02 = 3); embedding 0, 2, 3 (e01 = 2, e12 = 1, e02 = 3).
        // Whatever pairs are drawn, each pair type keeps a fixed (data, embedding) distance, so the value must equal
        // the rank correlation of those values repeated as drawn; with many pairs every type occurs and ρ ∈ (0, 1).
        double rho = SpearmanCorrelation.OfDistances(new Matrix(3, 1, [0, 1, 3]), new Matrix(3, 1, [0, 2, 3]), pairs: 3000);
        Assert.InRange(rho, 0.3, 0.7); // equal counts give exactly 0.5
    }
}

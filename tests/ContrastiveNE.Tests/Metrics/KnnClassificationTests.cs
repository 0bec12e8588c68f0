using ContrastiveNE.Metrics;
using static ContrastiveNE.Tests.Metrics.KnnRecallTests;

namespace ContrastiveNE.Tests.Metrics;

public sealed class KnnClassificationTests
{
    [Theory]
    [InlineData(new[] { 2, 1, 1, 2, 3 }, 1)] // 1 and 2 tie with two votes: the smaller label wins
    [InlineData(new[] { 5, 5, 0 }, 5)]
    [InlineData(new[] { 7 }, 7)]
    [InlineData(new[] { 3, 2, 1 }, 1)]
    public void Vote_takes_the_majority_and_breaks_ties_to_the_smallest_label(int[] neighborLabels, int expected)
    {
        // Neighbour i has label neighborLabels[i].
        int[] neighbors = Enumerable.Range(0, neighborLabels.Length).ToArray();
        Assert.Equal(expected, KnnClassification.Vote(neighbors, neighborLabels));
    }

    [Fact]
    public void Leave_one_out_accuracy_matches_a_hand_computed_case()
    {
        // Points 0 1 2 | 10 11 12 with labels 0 0 1 | 1 1 0, k = 2:
        // 0 → {1, 2}: 0,1 tie → 0 ✓   1 → {0, 2}: tie → 0 ✓   2 → {1, 0}: 0 ✗
        // 3 → {4, 5}: 1,0 tie → 0 ✗   4 → {3, 5}: tie → 0 ✗   5 → {4, 3}: 1 ✗      → 2 of 6.
        var embedding = Column(0, 1, 2, 10, 11, 12);
        int[] labels = [0, 0, 1, 1, 1, 0];
        Assert.Equal(2.0 / 6, KnnClassification.LeaveOneOutAccuracy(embedding, labels, k: 2), 15);
        // k = 1: 0 → 1 ✓, 1 → 0 (tie with 2, smaller index) ✓, 2 → 1 ✗, 3 → 4 ✓, 4 → 3 ✓, 5 → 4 ✗ → 4 of 6.
        Assert.Equal(4.0 / 6, KnnClassification.LeaveOneOutAccuracy(embedding, labels, k: 1), 15);
    }

    [Fact]
    public void Leave_one_out_accuracy_over_a_sample_matches_a_reference()
    {
        var embedding = Random(300, 2, 11);
        int[] labels = Enumerable.Range(0, 300).Select(i => embedding[i, 0] > 0 ? (embedding[i, 1] > 0 ? 2 : 1) : 0).ToArray();
        labels[7] = 2; // a few points on the wrong side
        labels[8] = 0;
        int[] sample = PointSample.Draw(300, 120, seed: 4);
        double expected = sample.Count(i => MajorityOf(Nearest(embedding, i, 10).Select(j => labels[j])) == labels[i]) / 120.0;
        double actual = KnnClassification.LeaveOneOutAccuracy(embedding, labels, k: 10, sampleSize: 120, seed: 4, threads: 2);
        Assert.Equal(expected, actual, 15);
        Assert.InRange(actual, 0.8, 0.999);
    }

    private static int MajorityOf(IEnumerable<int> votes)
        => votes.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

    [Fact]
    public void Test_accuracy_classifies_new_points_by_training_neighbours()
    {
        var train = Column(0, 1, 10, 11);
        int[] trainLabels = [0, 0, 1, 1];
        // k = 1: 0.4 → 0, 10.6 → 11 (label 1), 5.4 → 1 (distance 4.4 < 4.6, label 0).
        var test = Column(0.4f, 10.6f, 5.4f);
        Assert.Equal(2.0 / 3, KnnClassification.TestAccuracy(train, trainLabels, test, [0, 0, 0], k: 1), 15);
        // k = 3: 0.4 → {0, 1, 10} → 0; 10.6 → {11, 10, 1} → 1; 5.4 → {1, 0, 10} → 0.
        Assert.Equal(1.0, KnnClassification.TestAccuracy(train, trainLabels, test, [0, 1, 0], k: 3));
    }

    [Fact]
    public void Invalid_arguments_name_the_parameter()
    {
        var m = Column(0, 1, 2, 3);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => KnnClassification.LeaveOneOutAccuracy(m, [0, 1, 0])).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => KnnClassification.LeaveOneOutAccuracy(m, [0, 1, 0, 1], k: 4)).ParamName);
        Assert.Equal("testLabels", Assert.Throws<ArgumentException>(() => KnnClassification.TestAccuracy(m, [0, 1, 0, 1], m, [0])).ParamName);
        Assert.Equal("test", Assert.Throws<ArgumentException>(() => KnnClassification.TestAccuracy(m, [0, 1, 0, 1], new(2, 2), [0, 1])).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => KnnClassification.TestAccuracy(m, [0, 1, 0, 1], m, [0, 1, 0, 1], k: 5)).ParamName);
    }
}

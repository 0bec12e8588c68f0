using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ContrastiveNE.Neighbors;

/// <summary>
/// One bounded max-heap of (score, index) candidates per row, all in flat arrays. A heap keeps the
/// <see cref="Capacity"/> smallest candidates under the strict total order "score, then index", so its final
/// content does not depend on the order candidates arrive in (what makes a search that offers candidates from
/// several threads deterministic). <see cref="Threshold"/> holds each row's worst kept score (+∞ until full) so
/// scans can reject most candidates with one SIMD compare.
/// </summary>
internal sealed class CandidateHeaps
{
    public CandidateHeaps(int rows, int capacity)
    {
        Capacity = capacity;
        Scores = new float[(long)rows * capacity];
        Indices = new int[(long)rows * capacity];
        Count = new int[rows];
        // Padded so a vector load of thresholds at the last row stays inside the array.
        Threshold = new float[rows + Vector512<float>.Count];
        Reset();
    }

    public int Capacity { get; }
    public float[] Scores { get; }
    public int[] Indices { get; }
    public int[] Count { get; }
    public float[] Threshold { get; }

    public void Reset()
    {
        Array.Clear(Count);
        Array.Fill(Threshold, float.PositiveInfinity);
    }

    /// <summary>Offers candidate <paramref name="index"/> with <paramref name="score"/> to heap <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Offer(int row, float score, int index)
    {
        int size = Count[row], cap = Capacity;
        var scores = Scores.AsSpan(row * cap, cap);
        var indices = Indices.AsSpan(row * cap, cap);
        if (size < cap)
        {
            int i = size;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(score, index, scores[parent], indices[parent])) break;
                scores[i] = scores[parent];
                indices[i] = indices[parent];
                i = parent;
            }
            scores[i] = score;
            indices[i] = index;
            Count[row] = ++size;
            if (size == cap) Threshold[row] = scores[0];
            return;
        }
        if (!Worse(scores[0], indices[0], score, index)) return;
        // Replace the root (the worst kept candidate) and sift down.
        int at = 0;
        while (true)
        {
            int child = 2 * at + 1;
            if (child >= size) break;
            if (child + 1 < size && Worse(scores[child + 1], indices[child + 1], scores[child], indices[child])) child++;
            if (!Worse(scores[child], indices[child], score, index)) break;
            scores[at] = scores[child];
            indices[at] = indices[child];
            at = child;
        }
        scores[at] = score;
        indices[at] = index;
        Threshold[row] = scores[0];
    }

    /// <summary>Whether (s1, i1) ranks after (s2, i2): larger score, or equal score and larger index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Worse(float s1, int i1, float s2, int i2) => s1 > s2 || (s1 == s2 && i1 > i2);
}

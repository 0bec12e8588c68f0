using ContrastiveNE.Data;
using Microsoft.ML.OnnxRuntime;

namespace ContrastiveNE.Onnx.Tests.Support;

/// <summary>Runs an exported model in ONNX Runtime (which validates the graph when it loads it) and compares outputs.</summary>
public static class OnnxRunner
{
    /// <summary>Loads <paramref name="model"/> (bytes of an ONNX file) in a session with <paramref name="threads"/> intra-op threads.</summary>
    public static InferenceSession Session(byte[] model, int threads = 1)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        return new InferenceSession(model, options);
    }

    /// <summary>Runs the rows of <paramref name="data"/> through the session; checks the output's shape.</summary>
    public static Matrix Run(InferenceSession session, Matrix data, string input = "input", string output = "embedding")
    {
        using var value = OrtValue.CreateTensorValueFromMemory(data.Data.AsSpan(0, data.Rows * data.Columns).ToArray(), [data.Rows, data.Columns]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [input], [value], [output]);
        var shape = results[0].GetTensorTypeAndShape().Shape;
        Assert.Equal(2, shape.Length);
        Assert.Equal(data.Rows, shape[0]);
        int columns = checked((int)shape[1]);
        var values = results[0].GetTensorDataAsSpan<float>();
        var result = new Matrix(data.Rows, columns);
        values.CopyTo(result.Data);
        return result;
    }

    /// <summary>
    /// The largest absolute difference divided by the largest absolute expected value: the error relative to the
    /// output's scale (an element-wise ratio would blow up at outputs that happen to be near zero).
    /// </summary>
    public static double RelativeError(Matrix expected, Matrix actual)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Columns, actual.Columns);
        double difference = 0, scale = 0;
        for (int i = 0; i < expected.Rows * expected.Columns; i++)
        {
            Assert.True(float.IsFinite(actual.Data[i]), $"ONNX Runtime produced {actual.Data[i]} at {i}");
            difference = Math.Max(difference, Math.Abs(expected.Data[i] - actual.Data[i]));
            scale = Math.Max(scale, Math.Abs(expected.Data[i]));
        }
        Assert.True(scale > 0, "the expected output is all zeros, which would make the comparison meaningless");
        return difference / scale;
    }

    /// <summary>Asserts that ONNX Runtime's output equals ours within <paramref name="tolerance"/> relative (see <see cref="RelativeError"/>).</summary>
    public static void AssertClose(Matrix expected, Matrix actual, double tolerance = 1e-5)
    {
        double error = RelativeError(expected, actual);
        Assert.True(error <= tolerance, $"ONNX Runtime differs from Transform by {error:E2} relative (tolerance {tolerance:E0})");
    }

    /// <summary>A matrix of uniform values in [low, high) from <paramref name="seed"/>.</summary>
    public static Matrix Random(int rows, int columns, int seed, float low = -1, float high = 1)
    {
        var random = new Random(seed);
        var m = new Matrix(rows, columns);
        for (int i = 0; i < rows * columns; i++) m.Data[i] = low + (high - low) * random.NextSingle();
        return m;
    }
}

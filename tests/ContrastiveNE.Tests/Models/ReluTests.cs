using ContrastiveNE.Models;

namespace ContrastiveNE.Tests.Models;

public class ReluTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(100_003)]
    public void ForwardAndBackwardMatchScalarDefinition(int length)
    {
        var relu = new Relu(1) { Threads = 2 };
        var x = ReferenceNetwork.RandomValues(length, 11);
        if (length > 3) { x[1] = 0f; x[2] = -0f; }
        var dy = ReferenceNetwork.RandomValues(length, 12);
        var y = new float[length];
        relu.Forward(x, length, y, training: true);
        var dx = new float[length];
        relu.Backward(dy, dx);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(x[i] > 0 ? x[i] : 0f, y[i]);
            Assert.Equal(x[i] > 0 ? dy[i] : 0f, dx[i]);
        }
    }
}

using ContrastiveNE.Embedding;
using ContrastiveNE.Training;

namespace ContrastiveNE.Gpu.Tests.Training;

public class DeviceOptionTests
{
    [Fact]
    public void AnUndefinedDeviceIsRejectedNamingTheOption()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CneOptions { Device = (ComputeDevice)7 }.Validate());
        Assert.Equal(nameof(CneOptions.Device), e.ParamName);
    }

    [Fact]
    public void CpuNeverResolvesToABackendAndIsTheDefault()
    {
        Assert.Equal(ComputeDevice.Cpu, new CneOptions().Device);
        Assert.Null(DeviceBackends.Resolve(ComputeDevice.Cpu));
    }
}

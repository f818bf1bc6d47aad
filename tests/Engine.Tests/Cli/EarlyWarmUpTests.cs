using Engine.Cli;

namespace Engine.Tests.Cli;

public class EarlyWarmUpTests
{
    [Theory]
    [InlineData("run spec.toml", "auto", "auto", "double", -1)]
    [InlineData("run spec.toml --simd 256 -t 3", "auto", "256", "double", 3)]
    [InlineData("sweep spec.toml --simd=128 --threads:4 --precision single", "auto", "128", "single", 4)]
    [InlineData("reproduce fig3 --quick -b cpu --precision=single", "cpu", "auto", "single", -1)]
    [InlineData("run spec.toml --simd 512 --simd 256", "auto", "256", "double", -1)]
    public void ReadsTheOptionsThatChooseTheLoop(string line, string backend, string simd, string precision, int threads)
    {
        var options = EarlyWarmUp.OptionsFor(line.Split(' '));
        if (Environment.ProcessorCount < 2)
        {
            Assert.Null(options); // one core: nothing to overlap with
            return;
        }
        Assert.NotNull(options);
        Assert.Equal(backend, options.Backend);
        Assert.Equal(simd, options.Simd);
        Assert.Equal(precision, options.Precision);
        Assert.Equal(threads < 0 ? Environment.ProcessorCount : threads, options.Threads);
    }

    [Theory]
    [InlineData("theory spec.toml")]
    [InlineData("validate spec.toml")]
    [InlineData("run spec.toml --backend gpu")]
    [InlineData("run spec.toml -b reference")]
    [InlineData("run spec.toml --device cpu-accelerator")]
    [InlineData("run spec.toml --threads 1")]
    public void WarmsNothingWhereNoCpuRunOnSeveralCoresIsComing(string line)
    {
        Assert.Null(EarlyWarmUp.OptionsFor(line.Split(' ')));
    }
}

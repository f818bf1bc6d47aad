using Engine.Core.Random;
using Engine.Simulation.Lanes;

namespace Engine.Tests.Simulation;

/// <summary>The vectorised log, exp and sin/cos of 2 pi u against Math, at every width, over the inputs the loop gives them.</summary>
public class LaneMathTests
{
    [Fact]
    public void Vector128MatchesMath() => Check<Vector128Lane>();

    [Fact]
    public void Vector256MatchesMath() => Check<Vector256Lane>();

    [Fact]
    public void Vector256x2MatchesMath() => Check<Vector256x2Lane>();

    [Fact]
    public void Vector512MatchesMath() => Check<Vector512Lane>();

    [Fact]
    public void Vector512x2MatchesMath() => Check<Vector512x2Lane>();

    [Fact]
    public void ScalarLanePolynomialsMatchMath() => Check<ScalarLane>(polynomialsOnly: true);

    [Fact]
    public void SinglePrecisionIsFloatAccurate() => Check<Vector256SingleLane>(tolerance: 1e-6);

    [Fact]
    public void SinglePrecisionInTwoRegistersIsFloatAccurate() => Check<Vector256Singlex2Lane>(tolerance: 1e-6);

    private static void Check<T>(bool polynomialsOnly = false, double tolerance = 1e-15) where T : struct, ILane<T>
    {
        var stream = new ReplicateStream(3, 0);
        double worstLog = 0, worstExp = 0, worstSinCos = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var (u, v) = stream.SlotUniforms(1, 0, i);
            // log of 1 - u in (0, 1] (Box-Muller), also near 1 and near 2^-53; exp of rewards below 0.
            double logArgument = 1 - u * Math.Pow(2, -60 * v);
            double expArgument = -800 * v * v + 5 * (u - 0.5);
            if (tolerance > 1e-9)
            {
                // Float: log arguments at float resolution, exp arguments where float exp is normal.
                logArgument = (float)Math.Max(logArgument, 1e-6);
                expArgument = (float)Math.Max(expArgument, -80);
                u = (float)u;
            }
            var logInput = T.Broadcast(logArgument);
            var log = polynomialsOnly ? LaneMath.Log(logInput) : T.Log(logInput);
            var exp = polynomialsOnly ? LaneMath.Exp(T.Broadcast(expArgument)) : T.Exp(T.Broadcast(expArgument));
            var (sin, cos) = polynomialsOnly ? LaneMath.SinCosTwoPi(T.Broadcast(u)) : T.SinCosTwoPi(T.Broadcast(u));
            for (int lane = 0; lane < T.Width; lane++)
            {
                double expectedLog = Math.Log(logArgument);
                worstLog = Math.Max(worstLog, Math.Abs(T.Element(log, lane) - expectedLog) / Math.Max(Math.Abs(expectedLog), 1e-300));
                double expectedExp = Math.Exp(expArgument);
                double expError = expectedExp < 1e-300 ? Math.Abs(T.Element(exp, lane)) : Math.Abs(T.Element(exp, lane) - expectedExp) / expectedExp;
                worstExp = Math.Max(worstExp, expError);
                var (expectedSin, expectedCos) = Math.SinCos(2 * Math.PI * u);
                worstSinCos = Math.Max(worstSinCos, Math.Max(Math.Abs(T.Element(sin, lane) - expectedSin), Math.Abs(T.Element(cos, lane) - expectedCos)));
            }
        }
        // A few ulp: far inside the 1e-9 to which backends must agree.
        Assert.True(worstLog < tolerance, $"log relative error {worstLog}");
        Assert.True(worstExp < 10 * tolerance, $"exp relative error {worstExp}");
        Assert.True(worstSinCos < tolerance, $"sin/cos absolute error {worstSinCos}");
    }
}

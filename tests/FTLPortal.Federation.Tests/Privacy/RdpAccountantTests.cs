using FTLPortal.Federation.Privacy;

namespace FTLPortal.Federation.Tests.Privacy;

public class RdpAccountantTests
{
    [Fact]
    public void GetEpsilon_MatchesOpacus_WhenSigma15Rate004Steps2250()
    {
        // Published: pytorch/opacus, opacus/tests/accountants_test.py, test_rdp_accountant: noise_multiplier = 1.5,
        // sample_rate = 0.04, steps = int(90 / 0.04) = 2250, δ = 1e-5, default alphas → ε = 7.32911117143.
        (double epsilon, _) = RdpAccountant.GetEpsilon(q: 0.04, noiseMultiplier: 1.5, steps: 2250, delta: 1e-5);

        Assert.InRange(epsilon, 7.32911117143 * 0.98, 7.32911117143 * 1.02);
    }

    [Fact]
    public void ComputeRdp_MatchesTensorFlowPrivacy_WhenIntegerOrder()
    {
        // Published: tensorflow/privacy, rdp_accountant_test.py, test_compute_rdp: compute_rdp(q = 0.1, σ = 2, steps = 10, order 5) = 0.07737.
        Assert.InRange(RdpAccountant.ComputeRdp(0.1, 2, 10, 5), 0.07737 * 0.98, 0.07737 * 1.02);
    }

    [Theory]
    // Published: tensorflow/privacy, rdp_accountant_test.py, test_compute_rdp: compute_rdp(q = 0.01, σ = 2.5, steps = 50,
    // orders [1.5, 2.5, 5, 50, 100]) = [0.00065, 0.001085, 0.00218075, 0.023846, 167.416307]; 1.5 and 2.5 take the fractional series.
    [InlineData(1.5, 0.00065)]
    [InlineData(2.5, 0.001085)]
    [InlineData(5, 0.00218075)]
    [InlineData(50, 0.023846)]
    [InlineData(100, 167.416307)]
    public void ComputeRdp_MatchesTensorFlowPrivacy_WhenOrdersMixed(double order, double published)
    {
        double rdp = RdpAccountant.ComputeRdp(0.01, 2.5, 50, order);

        Assert.InRange(rdp, published * 0.98, published * 1.02);
    }

    [Fact]
    public void GetEpsilon_Grows_WhenRoundsGoBy()
    {
        double[] eps = [RdpAccountant.GetEpsilon(0.1, 1.0, 1, 1e-5).Epsilon, RdpAccountant.GetEpsilon(0.1, 1.0, 10, 1e-5).Epsilon, RdpAccountant.GetEpsilon(0.1, 1.0, 100, 1e-5).Epsilon];

        Assert.True(eps[0] < eps[1] && eps[1] < eps[2], string.Join(", ", eps));
        Assert.Equal(0, RdpAccountant.ComputeRdp(0, 1, 10, 2));
        Assert.Equal(0.1, RdpAccountant.ComputeRdp(1, 10, 1, 20), 12); // q = 1: α / (2σ²)
    }

    [Fact]
    public void LogErfc_MatchesKnownValues_WhenPositiveAndNegative()
    {
        Assert.Equal(Math.Log(0.15729920705), RdpAccountant.LogErfc(1.0), 1e-6); // erfc(1)
        Assert.Equal(Math.Log(1.84270079295), RdpAccountant.LogErfc(-1.0), 1e-6); // erfc(-1) = 2 - erfc(1)
        Assert.Equal(Math.Log(2.08848758e-45), RdpAccountant.LogErfc(10.0), 1e-5); // erfc(10), no underflow in log space
    }
}

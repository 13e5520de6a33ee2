using System.Text.Json;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.SecureAggregation;

/// <summary>The agent side's protocol state, the fixed-point update layout and the wire form of the secure messages.</summary>
public class SecureAggregationSessionsTests
{
    private static SecureSession Session(int client) => new("run", 1, 1, $"d{client}");

    /// <summary>Three agents' sessions through steps 0–2 with the given inputs; returns them with the routed shares.</summary>
    private static List<SecureAggregationSessions> Masked(ulong[][] inputs, out List<ulong[]> masked)
    {
        var agents = inputs.Select(_ => new SecureAggregationSessions()).ToList();
        var roster = agents.Select((a, i) => a.Advertise(new SecureKeysRequest(Session(i + 1), i + 1, 2))).ToList();
        var shares = agents.SelectMany((a, i) => a.Share(new SecureSharesRequest(Session(i + 1), roster))).ToList();
        masked = [.. agents.Select((a, i) => a.Mask(Session(i + 1), [.. shares.Where(s => s.To == i + 1)], inputs[i]))];
        return agents;
    }

    [Fact]
    public void Steps_AnswerTheSameAgain_WhenACallIsRepeated()
    {
        ulong[][] inputs = [[1, 2], [3, 4], [5, 6]];
        List<SecureAggregationSessions> agents = Masked(inputs, out List<ulong[]> masked);
        KeyAdvertisement first = agents[0].Advertise(new SecureKeysRequest(Session(1), 1, 2));

        KeyAdvertisement again = agents[0].Advertise(new SecureKeysRequest(Session(1), 1, 2));
        IReadOnlyList<EncryptedShares> sharesAgain = agents[0].Share(new SecureSharesRequest(Session(1), []));
        ulong[] remasked = agents[0].Mask(Session(1), [], [9, 9]);

        // Fresh keys, shares or masks for a repeated call would let the coordinator compare two versions of one secret.
        Assert.Same(first, again);
        Assert.Equal(2, sharesAgain.Count);
        Assert.Equal(masked[0], remasked);
        Assert.NotEqual(inputs[0], masked[0]);
    }

    [Fact]
    public void Unmask_RefusesASecondRequest_WhenItNamesOtherSurvivors()
    {
        List<SecureAggregationSessions> agents = Masked([[1], [2], [3]], out _);

        UnmaskingResponse first = agents[0].Unmask(new SecureUnmaskRequest(Session(1), [1, 2, 3]));

        Assert.Same(first, agents[0].Unmask(new SecureUnmaskRequest(Session(1), [3, 2, 1])));
        // Answering [1, 2] too would hand out client 3's mask key after its self-mask seed: its update would be revealed.
        Assert.Throws<SecureAggregationAbortedException>(() => agents[0].Unmask(new SecureUnmaskRequest(Session(1), [1, 2])));
        Assert.Throws<SecureAggregationAbortedException>(() => agents[0].Mask(Session(1), [], [4]));
    }

    [Fact]
    public void Advertise_EndsTheOlderSession_WhenTheSameRunAndDomainStartsAnother()
    {
        var agent = new SecureAggregationSessions();
        agent.Advertise(new SecureKeysRequest(new SecureSession("run", 1, 1, "d"), 1, 2));
        agent.Advertise(new SecureKeysRequest(new SecureSession("other", 1, 1, "d"), 1, 2));

        agent.Advertise(new SecureKeysRequest(new SecureSession("run", 2, 1, "d"), 1, 2));

        Assert.Equal(2, agent.Count);
        Assert.Throws<SecureAggregationAbortedException>(() => agent.EnsureShared(new SecureSession("run", 1, 1, "d")));
    }

    [Fact]
    public void Encode_RefusesTheUpdate_WhenItHoldsANonFiniteValue()
    {
        var global = new WeightSet { new NamedTensor("a.weight", [2], [0f, 0f]) };
        var trained = new WeightSet { new NamedTensor("a.weight", [2], [1f, float.PositiveInfinity]) };

        UpdateRejectedException error = Assert.Throws<UpdateRejectedException>(() => FixedPointUpdate.Encode(global, trained, ["a.weight"], 5, null));

        Assert.Contains("non-finite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_ScalesTheChangeToTheBound_WhenItIsLonger()
    {
        var global = new WeightSet { new NamedTensor("a.weight", [2], [1f, 1f]) };
        var trained = new WeightSet { new NamedTensor("a.weight", [2], [4f, 5f]) }; // Δ = (3, 4), norm 5

        (ulong[] input, bool clipped) = FixedPointUpdate.Encode(global, trained, ["a.weight"], 2, maxNorm: 1);
        WeightSet mean = FixedPointUpdate.DecodeMean(global, ["a.weight"], input);

        Assert.True(clipped);
        Assert.Equal([2 * 0.6, 2 * 0.8, 2], input.Select(FixedPoint.Decode).ToArray(), new ToleranceComparer(1e-5));
        Assert.Equal([1.6f, 1.8f], mean["a.weight"].Data, new ToleranceComparer(1e-5));
    }

    [Fact]
    public void Messages_RoundTripThroughTheWireJson()
    {
        List<SecureAggregationSessions> agents = Masked([[7], [8], [9]], out List<ulong[]> masked);
        var session = Session(1);
        KeyAdvertisement ad = agents[0].Advertise(new SecureKeysRequest(session, 1, 2));
        UnmaskingResponse response = agents[0].Unmask(new SecureUnmaskRequest(session, [1, 2]));
        var update = new MaskedModelUpdate("p", 1, 1, 10, masked[0], 0.5, new EvaluationResult(0.4, 0.8, 20)) { Clipped = true };

        KeyAdvertisement adBack = RoundTrip(ad);
        UnmaskingResponse responseBack = RoundTrip(response);
        MaskedModelUpdate updateBack = RoundTrip(update);
        SecureUnmaskRequest requestBack = RoundTrip(new SecureUnmaskRequest(session, [1, 2]));

        Assert.Equal(ad.MaskPublicKey, adBack.MaskPublicKey);
        Assert.Equal(response.SelfMaskSeedShares[2], responseBack.SelfMaskSeedShares[2]);
        Assert.Equal(response.MaskKeyShares.Keys, responseBack.MaskKeyShares.Keys);
        Assert.Equal(update.Masked, updateBack.Masked);
        Assert.True(updateBack.Clipped);
        Assert.Equal(session, requestBack.Session);
        Assert.Equal([1, 2], requestBack.Survivors);
    }

    private static T RoundTrip<T>(T value) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, FederationJson.Options), FederationJson.Options)!;

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>, IEqualityComparer<float>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;

        public int GetHashCode(float obj) => 0;
    }
}

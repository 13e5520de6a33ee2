using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Tests.Strategies;

public class FederatedAveragingIntoTests
{
    private static WeightSet Model(float a, float b, int length = 10_000) => new()
    {
        new NamedTensor("frozen.weight", [2], [a, a]),
        new NamedTensor("head.weight", [length], [.. Enumerable.Range(0, length).Select(i => b + (i * 1e-4f))]),
    };

    [Fact]
    public void AggregateInto_EqualsAggregateBitForBit_WhenDestinationReused()
    {
        WeightSet current = Model(1, 2);
        ClientUpdate[] updates = [.. Enumerable.Range(0, 3).Select(i => new ClientUpdate($"p{i}", i + 1, new WeightSet { Model(0, i)["head.weight"] }))];
        WeightSet destination = Model(-5, -5);

        WeightSet into = new FederatedAveraging().AggregateInto(current, updates, destination);
        WeightSet fresh = new FederatedAveraging().Aggregate(current, updates);

        Assert.Same(destination, into);
        Assert.Equal(fresh.Sha256(), into.Sha256()); // the frozen tensor is copied over the stale -5s too
    }

    [Fact]
    public void AggregateInto_Throws_WhenDestinationSharesArrayWithInput()
    {
        WeightSet current = Model(1, 2);
        ClientUpdate[] updates = [new("p", 1, new WeightSet { Model(0, 1)["head.weight"] })];

        ArgumentException error = Assert.Throws<ArgumentException>(() => new FederatedAveraging().AggregateInto(current, updates, current));
        Assert.Contains("shares its array", error.Message, StringComparison.Ordinal);
    }
}

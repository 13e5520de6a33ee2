using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Tests.Agents;

public class LocalLayerStoreTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Set_EvictsLeastRecentlyUsed_WhenCapacityIsExceeded()
    {
        var store = new LocalLayerStore(TimeSpan.FromHours(1), capacity: 2, _clock);
        store.Set("a", "d", State(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        store.Set("b", "d", State(2));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(store.TryGet("a", "d", out _)); // "a" is now more recently used than "b"
        _clock.Advance(TimeSpan.FromSeconds(1));

        store.Set("c", "d", State(3));

        Assert.Equal(2, store.Count);
        Assert.True(store.TryGet("a", "d", out _));
        Assert.False(store.TryGet("b", "d", out _));
        Assert.True(store.TryGet("c", "d", out _));
    }

    [Fact]
    public void TryGet_ReturnsNothing_WhenRetentionElapsedSinceLastUse()
    {
        var store = new LocalLayerStore(TimeSpan.FromMinutes(10), capacity: 8, _clock);
        store.Set("run", "d", State(1));
        _clock.Advance(TimeSpan.FromMinutes(8));
        Assert.True(store.TryGet("run", "d", out _)); // use renews the lease
        _clock.Advance(TimeSpan.FromMinutes(8));
        Assert.True(store.TryGet("run", "d", out _));

        _clock.Advance(TimeSpan.FromMinutes(11));

        Assert.False(store.TryGet("run", "d", out _));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void TryGet_ReturnsCopy_WhenCallerChangesStoredOrReturnedTensors()
    {
        var store = new LocalLayerStore(TimeSpan.FromMinutes(10), capacity: 8, _clock);
        WeightSet original = State(1);
        store.Set("run", "d", original);
        original["bn1.running_mean"].Data[0] = 99;

        Assert.True(store.TryGet("run", "d", out WeightSet? first));
        first["bn1.running_mean"].Data[0] = 42;
        Assert.True(store.TryGet("run", "d", out WeightSet? second));

        Assert.Equal(1f, second["bn1.running_mean"].Data[0]);
    }

    [Fact]
    public void RemoveDomain_ForgetsEveryRunOfThatDomainOnly_WhenSeveralAreKept()
    {
        var store = new LocalLayerStore(TimeSpan.FromMinutes(10), capacity: 8, _clock);
        store.Set("r1", "d", State(1));
        store.Set("r2", "d", State(2));
        store.Set("r1", "e", State(3));

        store.RemoveDomain("d");

        Assert.Equal(1, store.Count);
        Assert.True(store.TryGet("r1", "e", out _));
    }

    private static WeightSet State(float value) => new([new NamedTensor("bn1.running_mean", [2], [value, value])]);
}

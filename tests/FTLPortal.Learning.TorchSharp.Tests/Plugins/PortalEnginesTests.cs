using FTLPortal.Infrastructure.Engines;
using FTLPortal.Learning.Engines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace FTLPortal.Learning.TorchSharp.Tests.Plugins;

/// <summary>The portal's engines as its configuration sets them (Portal:Engines, Portal:Agents:&lt;slug&gt;:Engines).</summary>
public sealed class PortalEnginesTests : IDisposable
{
    private readonly PluginFolder _folder = new PluginFolder().WithTorchSharp();

    public void Dispose() => _folder.Dispose();

    private PortalEngines Engines(int threads = 0, Dictionary<string, string?>? settings = null) => new(
        Options.Create(new EngineOptions { PluginFolder = _folder.Path, Threads = threads }),
        new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build(),
        NullLogger<PortalEngines>.Instance);

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Constructor_SetsLibTorchThreads_FromPortalEnginesThreads(int threads)
    {
        PortalEngines engines = Engines(threads);

        Assert.Contains("torchsharp", engines.Catalog.Names);
        Assert.Equal(threads, torch.get_num_threads());
    }

    [Fact]
    public void Available_ListsTheBuiltInEngineFirst_WithEachVersion()
    {
        PortalEngines engines = Engines();

        Assert.Equal(["builtin", "torchsharp"], engines.Available.Select(e => e.Name));
        Assert.StartsWith("FTLPortal.Learning ", engines.Available[0].Version, StringComparison.Ordinal);
        Assert.Equal("TorchSharp 0.107.0 / libtorch 2.10.0", engines.Available[1].Version);
    }

    [Fact]
    public void OfferedBy_FollowsEachPartnersConfiguration_AndOffersAllOtherwise()
    {
        PortalEngines engines = Engines(settings: new()
        {
            ["Portal:Agents:contoso:Engines"] = "torchsharp",
            ["Portal:Agents:fabrikam:Engines:0"] = "builtin",
            ["Portal:Agents:fabrikam:Engines:1"] = "torchsharp",
            ["Portal:Agents:initech:Engines"] = "jax",
        });

        Assert.Equal(["torchsharp"], engines.OfferedBy("contoso").Select(e => e.Name));
        Assert.Equal(["builtin", "torchsharp"], engines.OfferedBy("fabrikam").Select(e => e.Name));
        Assert.Equal(["builtin", "torchsharp"], engines.OfferedBy("northwind").Select(e => e.Name));
        // Only engines this portal lacks: the built-in one rather than an agent that can do nothing.
        Assert.Equal([BuiltInEngine.EngineName], engines.OfferedBy("initech").Select(e => e.Name));
    }

    [Fact]
    public void Constructor_Refuses_NegativeThreads()
    {
        Assert.Throws<OptionsValidationException>(() => Engines(threads: -1));
    }
}

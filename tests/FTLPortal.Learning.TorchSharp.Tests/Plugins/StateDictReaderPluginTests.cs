using FTLPortal.Infrastructure.Engines;
using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.TorchSharp.Tests.Plugins;

/// <summary>The portal's plug-in loading brings the TorchSharp engine's state_dict reader along with the engine.</summary>
public sealed class StateDictReaderPluginTests : IDisposable
{
    private readonly PluginFolder _folder = new PluginFolder().WithTorchSharp();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void LoadPlugins_FindsThePyBridgeStateDictReader_InTheTorchSharpPlugin()
    {
        var plugins = PortalEngines.LoadPlugins(new EngineOptions { PluginFolder = _folder.Path });

        IStateDictReader reader = Assert.Single(plugins.OfType<IStateDictReader>());
        Assert.Equal("FTLPortal.Learning.TorchSharp.Import.PyBridgeStateDictReader", reader.GetType().FullName);
        Assert.Empty(plugins.Failures);
    }
}

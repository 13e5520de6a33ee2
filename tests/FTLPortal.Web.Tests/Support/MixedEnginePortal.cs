using FTLPortal.Infrastructure.Engines;
using FTLPortal.Learning.Engines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Web.Tests.Support;

/// <summary>
/// A portal with two engines (builtin and <see cref="MirrorEngine"/>) whose Fabrikam agent offers only the mirror, and a
/// small base model pre-trained on Northwind's domain: a job over Contoso and Fabrikam with one engine is refused, a mixed one runs.
/// </summary>
public sealed class MixedEnginePortal : IAsyncLifetime
{
    public PortalFactory Factory { get; } = new()
    {
        Settings = new Dictionary<string, string> { ["Portal:Agents:fabrikam:Engines"] = MirrorEngine.EngineName },
        TestServices = services => services.AddSingleton(sp => new PortalEngines(
            new EnginePluginSet([new MirrorEngine()]),
            new EngineOptions(),
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<ILogger<PortalEngines>>())),
    };

    public Guid BaseModelId { get; private set; }

    public Guid Contoso { get; private set; }

    public Guid Fabrikam { get; private set; }

    public async Task InitializeAsync()
    {
        using var scientist = await Factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await ScienceApi.DomainsAsync(scientist);
        Contoso = domains.Single(d => d.Name == "contoso-outpatients").Id;
        Fabrikam = domains.Single(d => d.Name == "fabrikam-screening").Id;
        BaseModelId = await ScienceApi.PretrainAsync(scientist, domains.Single(d => d.Name == "northwind-registry").Id, epochs: 1);
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

using FTLPortal.Infrastructure.Agents;
using FTLPortal.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Hubs;

/// <summary>A demo partner configured remote: the portal starts without its agent, seeds nothing into it, and keeps the others in-process.</summary>
public sealed class RemoteDemoPartnerTests
{
    [Fact]
    public async Task Start_SeedsNoDomainForTheRemotePartner_AndTheOthersAsBefore()
    {
        using var factory = new PortalFactory { Settings = new Dictionary<string, string> { ["Portal:Agents:contoso:Mode"] = "remote" } };
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        var domains = await ScienceApi.DomainsAsync(scientist);

        Assert.Equal(["fabrikam-screening", "northwind-registry"], domains.Select(d => d.Name).Order(StringComparer.Ordinal));
        var directory = factory.Services.GetRequiredService<AgentDirectory>();
        Assert.Equal(AgentMode.Remote, directory.ModeOf("contoso"));
        Assert.Equal(AgentMode.InProcess, directory.ModeOf("northwind"));
    }

    [Fact]
    public void Start_FailsNamingTheKey_WhenAModeIsMisspelt()
    {
        using var factory = new PortalFactory { Settings = new Dictionary<string, string> { ["Portal:Agents:contoso:Mode"] = "Remtoe" } };

        var failure = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains("Portal:Agents:contoso:Mode is 'Remtoe'; it must be InProcess or Remote", failure.ToString(), StringComparison.Ordinal);
    }
}

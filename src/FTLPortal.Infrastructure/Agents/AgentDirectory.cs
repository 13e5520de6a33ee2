using System.Collections.Concurrent;
using FTLPortal.Federation.Agents;
using FTLPortal.Infrastructure.Engines;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Learning.Engines;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Agents;

/// <summary>
/// The embedded default's agents: one in-process agent per partner, each confined to its own folder under data/agents.
/// The coordinator talks to them only through <see cref="IFederatedAgent"/>.
/// </summary>
public sealed class AgentDirectory(PortalPaths paths, IOptions<PortalOptions> options, AgentHealthLog health, PortalEngines engines)
{
    private readonly ConcurrentDictionary<Guid, IFederatedAgent> _agents = new();

    public IFederatedAgent For(Guid partnerId, string partnerSlug) =>
        _agents.GetOrAdd(partnerId, _ => new ObservedAgent(
            new InProcessAgent(
                partnerId.ToString(),
                Path.Combine(paths.AgentsDirectory, partnerSlug),
                AgentOptions(partnerSlug)),
            partnerId,
            health));

    private InProcessAgentOptions AgentOptions(string partnerSlug)
    {
        // The partner's engines (Portal:Agents:<slug>:Engines); a request naming none gets the built-in one if offered.
        IReadOnlyList<ITrainingEngine> offered = engines.OfferedBy(partnerSlug);
        return new InProcessAgentOptions
        {
            MaxUploadBytes = options.Value.MaxUploadBytes,
            MaxColumns = options.Value.MaxUploadColumns,
            MaxRows = options.Value.MaxUploadRows,
            Engine = offered.FirstOrDefault(e => e.Name == BuiltInEngine.EngineName) ?? offered[0],
            Engines = offered,
        };
    }

    /// <summary>Replaces a partner's agent (tests use this to make one vanish mid-job).</summary>
    public void Replace(Guid partnerId, IFederatedAgent agent) => _agents[partnerId] = new ObservedAgent(agent, partnerId, health);
}

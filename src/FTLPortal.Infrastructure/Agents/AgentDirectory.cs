using System.Collections.Concurrent;
using FTLPortal.Federation.Agents;
using FTLPortal.Infrastructure.Engines;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Learning.Engines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Agents;

/// <summary>
/// Each partner's agent: in the embedded default one in-process agent per partner, confined to its own folder under
/// data/agents; a partner configured <c>Portal:Agents:&lt;slug&gt;:Mode = Remote</c> gets a <see cref="RemoteAgent"/> that
/// calls the partner's own agent over its connection. The coordinator talks to either only through <see cref="IFederatedAgent"/>.
/// </summary>
public sealed class AgentDirectory(
    PortalPaths paths,
    IOptions<PortalOptions> options,
    AgentHealthLog health,
    PortalEngines engines,
    IConfiguration configuration,
    RemoteAgentConnections connections)
{
    private readonly ConcurrentDictionary<Guid, IFederatedAgent> _agents = new();

    public IFederatedAgent For(Guid partnerId, string partnerSlug) =>
        _agents.GetOrAdd(partnerId, _ => new ObservedAgent(
            ModeOf(partnerSlug) == AgentMode.Remote
                ? new RemoteAgent(partnerId, partnerSlug, connections)
                : new InProcessAgent(
                    partnerId.ToString(),
                    Path.Combine(paths.AgentsDirectory, partnerSlug),
                    AgentOptions(partnerSlug)),
            partnerId,
            health));

    /// <summary>Portal:Agents:&lt;slug&gt;:Mode: in-process when unset; a value that is neither mode stops the call with the key named.</summary>
    public AgentMode ModeOf(string partnerSlug)
    {
        var key = $"{PortalOptions.SectionName}:Agents:{partnerSlug}:Mode";
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return AgentMode.InProcess;
        }

        return Enum.TryParse<AgentMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException($"Configuration {key} is '{value}'; it must be InProcess or Remote.");
    }

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

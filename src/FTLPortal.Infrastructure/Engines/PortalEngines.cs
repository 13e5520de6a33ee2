using FTLPortal.Core.Jobs;
using FTLPortal.Learning.Engines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Engines;

/// <summary>
/// The training engines of this portal process: the built-in one and those of the plug-ins under
/// <see cref="EngineOptions.PluginFolder"/> (a plug-in that does not load is logged and left out), and which of them each
/// partner's in-process agent offers (<c>Portal:Agents:&lt;partnerSlug&gt;:Engines</c>; all of them when not configured).
/// </summary>
public sealed class PortalEngines
{
    /// <summary>The configuration section holding per-partner agent settings.</summary>
    public const string AgentsSectionName = "Portal:Agents";

    private readonly IConfiguration _configuration;
    private readonly ILogger<PortalEngines> _logger;

    public PortalEngines(IOptions<EngineOptions> options, IConfiguration configuration, ILogger<PortalEngines> logger)
        : this(LoadPlugins((options ?? throw new ArgumentNullException(nameof(options))).Value), options.Value, configuration, logger)
    {
    }

    /// <summary>With plug-ins loaded already (the registration loads them once, to register their other contracts too).</summary>
    public PortalEngines(EnginePluginSet plugins, EngineOptions options, IConfiguration configuration, ILogger<PortalEngines> logger)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(logger);
        _configuration = configuration;
        _logger = logger;
        PluginFolder = FolderOf(options);
        Plugins = plugins;
        foreach (EnginePluginFailure failure in Plugins.Failures)
        {
            LogPluginFailed(_logger, failure.Folder, failure.Reason, null);
        }

        Catalog = Plugins.Catalog();
        Available = [.. Engines.Select(e => new EngineChoice(e.Name, e.Version))];
        LogEngines(_logger, string.Join(", ", Available.Select(e => $"{e.Name} ({e.Version})")), PluginFolder, null);
    }

    public string PluginFolder { get; }

    /// <summary>Loads the plug-ins of <see cref="EngineOptions.PluginFolder"/> with <see cref="EngineOptions.Threads"/>.</summary>
    public static EnginePluginSet LoadPlugins(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Threads < 0)
        {
            throw new OptionsValidationException(EngineOptions.SectionName, typeof(EngineOptions), ["Portal:Engines:Threads must be 0 (the engine's default) or more."]);
        }

        // Besides engines, a plug-in may bring a reader of PyTorch state_dict files for base-model imports.
        return EnginePluginLoader.Load(FolderOf(options), new EngineSettings { Threads = options.Threads }, typeof(FTLPortal.Learning.Models.IStateDictReader));
    }

    private static string FolderOf(EngineOptions options) => Path.GetFullPath(options.PluginFolder, AppContext.BaseDirectory);

    /// <summary>What the plug-in loader found (engines, other contract instances, failures).</summary>
    public EnginePluginSet Plugins { get; }

    public EngineCatalog Catalog { get; }

    /// <summary>The engines by name and version, the built-in engine first (what <see cref="IEngineChoices.Available"/> lists).</summary>
    public IReadOnlyList<EngineChoice> Available { get; }

    /// <summary>Every engine, the built-in one first, then by name.</summary>
    public IReadOnlyList<ITrainingEngine> Engines =>
        [.. Catalog.Names.OrderBy(n => n == BuiltInEngine.EngineName ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal).Select(Catalog.Get)];

    /// <summary>
    /// The engines the agent of <paramref name="partnerSlug"/> offers: those configured for it that this portal has, or all
    /// of them when nothing is configured. When none of the configured ones is here, the built-in engine (and a warning).
    /// </summary>
    public IReadOnlyList<ITrainingEngine> OfferedBy(string partnerSlug)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(partnerSlug);
        IReadOnlyList<string>? configured = ConfiguredNames(partnerSlug);
        if (configured is null)
        {
            return Engines;
        }

        ITrainingEngine[] offered = [.. configured.Where(Catalog.Contains).Select(Catalog.Get).DistinctBy(e => e.Name)];
        if (configured.FirstOrDefault(n => !Catalog.Contains(n)) is { } missing)
        {
            LogUnknownEngine(_logger, partnerSlug, missing, string.Join(", ", Catalog.Names), null);
        }

        return offered.Length > 0 ? offered : [BuiltInEngine.Instance];
    }

    /// <summary>Portal:Agents:&lt;slug&gt;:Engines as a list ("a,b" or an array); null when not set.</summary>
    private List<string>? ConfiguredNames(string partnerSlug)
    {
        IConfigurationSection section = _configuration.GetSection(AgentsSectionName).GetSection(partnerSlug).GetSection("Engines");
        List<string> names = section.Value is { } single
            ? [.. single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [.. section.GetChildren().Select(c => c.Value?.Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)];
        return names.Count > 0 ? names : null;
    }

    private static readonly Action<ILogger, string, string, Exception?> LogPluginFailed = LoggerMessage.Define<string, string>(
        LogLevel.Warning, new EventId(1, "EnginePluginFailed"), "Engine plug-in {Folder} did not load and is left out: {Reason}");

    private static readonly Action<ILogger, string, string, Exception?> LogEngines = LoggerMessage.Define<string, string>(
        LogLevel.Information, new EventId(2, "Engines"), "Training engines: {Engines} (plug-ins from {Folder})");

    private static readonly Action<ILogger, string, string, string, Exception?> LogUnknownEngine = LoggerMessage.Define<string, string, string>(
        LogLevel.Warning, new EventId(3, "AgentEngineUnavailable"), "Portal:Agents:{Partner}:Engines names '{Engine}', which this portal does not have (it has: {Engines}).");
}

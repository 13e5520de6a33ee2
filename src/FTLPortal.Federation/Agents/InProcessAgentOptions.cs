using FTLPortal.Learning.Engines;

namespace FTLPortal.Federation.Agents;

/// <summary>Settings of an <see cref="InProcessAgent"/>.</summary>
public sealed record InProcessAgentOptions
{
    /// <summary>The largest CSV upload accepted, in bytes (default 10 MB).</summary>
    public long MaxUploadBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>The most columns an uploaded CSV's header may have (default 2,000); checked while the header streams in.</summary>
    public int MaxColumns { get; init; } = Learning.Data.CsvReadOptions.DefaultMaxColumns;

    /// <summary>The most data rows an uploaded CSV may have (default 1,000,000).</summary>
    public int MaxRows { get; init; } = Learning.Data.CsvReadOptions.DefaultMaxRows;

    /// <summary>
    /// How long the local layers (FedBN) of a (run, domain) are kept after their last use (default 24 hours). A run whose
    /// rounds are further apart than this restarts those layers from the global weights.
    /// </summary>
    public TimeSpan LocalStateRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The most (run, domain) local-layer states kept at once (default 64); the least recently used go first.</summary>
    public int MaxLocalStates { get; init; } = 64;

    /// <summary>The engine this agent trains and evaluates with (the built-in one by default; a partner may offer only one).</summary>
    public ITrainingEngine Engine { get; init; } = BuiltInEngine.Instance;

    /// <summary>
    /// The engines a request may name (<see cref="LocalTrainingRequest.Engine"/>); empty offers <see cref="Engine"/> alone.
    /// A request naming none gets <see cref="Engine"/>.
    /// </summary>
    public IReadOnlyList<ITrainingEngine> Engines { get; init; } = [];

    /// <summary>The clock for <see cref="LocalStateRetention"/> (the system clock by default).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

namespace FTLPortal.Learning.Engines;

/// <summary>What a host tells the engines it loads as plug-ins (an engine's constructor may take it).</summary>
public sealed record EngineSettings
{
    /// <summary>Intra-op threads for engines with their own thread pool (libtorch's <c>set_num_threads</c>); 0 keeps the engine's default.</summary>
    public int Threads { get; init; }
}

namespace FTLPortal.Federation.Agents;

/// <summary>Settings of an <see cref="InProcessAgent"/>.</summary>
public sealed record InProcessAgentOptions
{
    /// <summary>The largest CSV upload accepted, in bytes (default 10 MB).</summary>
    public long MaxUploadBytes { get; init; } = 10L * 1024 * 1024;
}

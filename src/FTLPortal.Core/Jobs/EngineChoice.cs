namespace FTLPortal.Core.Jobs;

/// <summary>A training engine the portal can run a job with: its name and what the model card records of it.</summary>
public sealed record EngineChoice(string Name, string Version);

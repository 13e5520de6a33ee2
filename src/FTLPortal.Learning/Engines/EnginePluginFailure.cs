namespace FTLPortal.Learning.Engines;

/// <summary>A plug-in folder that did not load (its engines are not offered); <see cref="Reason"/> says why.</summary>
public sealed record EnginePluginFailure(string Folder, string Reason);

namespace FTLPortal.Core.Jobs;

/// <summary>The training engines this portal has (the built-in one always; TorchSharp when its plug-in loaded).</summary>
public interface IEngineChoices
{
    /// <summary>By name, the built-in engine first.</summary>
    IReadOnlyList<EngineChoice> Available { get; }
}

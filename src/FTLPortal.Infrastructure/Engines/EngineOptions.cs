namespace FTLPortal.Infrastructure.Engines;

/// <summary>Configuration section "Portal:Engines": where the engine plug-ins are and how they run.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Portal:Engines";

    /// <summary>The folder whose sub-folders hold one engine plug-in each; relative paths are beside the app (default "engines").</summary>
    public string PluginFolder { get; set; } = "engines";

    /// <summary>Intra-op threads of the plug-in engines (TorchSharp's <c>torch.set_num_threads</c>); 0 keeps libtorch's default.</summary>
    public int Threads { get; set; }
}

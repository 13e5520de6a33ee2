namespace FTLPortal.Learning.TorchSharp;

/// <summary>Settings of the TorchSharp engine.</summary>
public sealed record TorchSharpEngineOptions
{
    /// <summary>libtorch's intra-op threads (<c>torch.set_num_threads</c>, process-wide); 0 leaves libtorch's default.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Whether libtorch may use its oneDNN kernels (process-wide). Off by default: their float32 convolution input gradient is
    /// wrong on some CPUs (see <see cref="OneDnnSwitch"/>); on for measuring them.
    /// </summary>
    public bool OneDnn { get; init; }
}

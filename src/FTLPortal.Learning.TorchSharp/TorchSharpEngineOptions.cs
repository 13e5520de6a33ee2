namespace FTLPortal.Learning.TorchSharp;

/// <summary>Settings of the TorchSharp engine.</summary>
public sealed record TorchSharpEngineOptions
{
    /// <summary>libtorch's intra-op threads (<c>torch.set_num_threads</c>, process-wide); 0 leaves libtorch's default.</summary>
    public int Threads { get; init; }
}

namespace FTLPortal.Learning.TorchSharp.Import;

public enum ImportedWeightsFormat
{
    /// <summary>A .safetensors file.</summary>
    Safetensors,

    /// <summary>A PyTorch <c>state_dict</c> written by <c>torch.save</c> (.pt / .pth).</summary>
    PyTorchStateDict,
}

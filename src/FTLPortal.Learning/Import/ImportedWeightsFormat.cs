namespace FTLPortal.Learning.Import;

public enum ImportedWeightsFormat
{
    /// <summary>A .safetensors file.</summary>
    Safetensors,

    /// <summary>A PyTorch <c>state_dict</c> written by <c>torch.save</c> (.pt / .pth), read by an <see cref="Models.IStateDictReader"/>.</summary>
    PyTorchStateDict,
}

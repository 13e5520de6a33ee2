namespace FTLPortal.Core.BaseModels;

/// <summary>The format of an imported weights file.</summary>
public enum BaseModelWeightsFormat
{
    /// <summary>Recognised from the file's first bytes.</summary>
    Detect,

    /// <summary>A .safetensors file (F32, F16 or BF16 tensors).</summary>
    Safetensors,

    /// <summary>A PyTorch state_dict written by <c>torch.save</c> (.pt / .pth); needs the TorchSharp engine plug-in.</summary>
    StateDict,
}

namespace FTLPortal.Core.BaseModels;

public enum BaseModelOrigin
{
    /// <summary>Pre-trained by a source domain's agent inside the portal.</summary>
    Pretrained,

    /// <summary>Brought from outside (PyTorch): an architecture plus safetensors or a state_dict file.</summary>
    Imported,
}

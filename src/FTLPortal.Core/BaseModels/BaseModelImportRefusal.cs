namespace FTLPortal.Core.BaseModels;

/// <summary>Why an import stored nothing.</summary>
public enum BaseModelImportRefusal
{
    None,

    /// <summary>The user may not import base models (data scientists and admins may).</summary>
    Forbidden,

    /// <summary>The name, architecture or weights are refused; the message names the tensor or layer at fault.</summary>
    Invalid,

    /// <summary>The weights file is over the configured size cap.</summary>
    TooLarge,
}

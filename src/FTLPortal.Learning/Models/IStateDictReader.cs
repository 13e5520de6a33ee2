namespace FTLPortal.Learning.Models;

/// <summary>
/// Reads a PyTorch <c>state_dict</c> written by <c>torch.save</c> (.pt / .pth) into named raw tensors. Learning has no
/// pickle reader of its own; an engine plug-in (TorchSharp.PyBridge) provides one, found by this interface's name.
/// Implementations need a public parameterless constructor so a plug-in loader can create them.
/// </summary>
public interface IStateDictReader
{
    /// <summary>
    /// Every entry of the state_dict, by its key (e.g. "dense1.weight"). Throws <see cref="InvalidDataException"/> (or any
    /// other exception) when the stream is not a state_dict; the importer reports that as unreadable weights.
    /// </summary>
    IReadOnlyDictionary<string, StateDictTensor> Read(Stream source);
}

using FTLPortal.Core.Security;

namespace FTLPortal.Core.BaseModels;

/// <summary>Imports a base model from the PyTorch world as the next version of its name.</summary>
public interface IBaseModelImportService
{
    /// <summary>
    /// Checks the architecture and the weights (names, shapes, dtypes) and stores a new version; on any refusal nothing is
    /// stored and the result says why. The stream is read up to the size cap and not disposed.
    /// </summary>
    Task<BaseModelImportResult> ImportAsync(PortalUserContext user, BaseModelImport request, Stream weights, CancellationToken cancellationToken);
}

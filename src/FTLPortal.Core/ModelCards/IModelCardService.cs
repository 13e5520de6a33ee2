using FTLPortal.Core.Security;

namespace FTLPortal.Core.ModelCards;

public interface IModelCardService
{
    Task<ModelCard?> FindByJobAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);

    Task<ModelCard?> FindAsync(PortalUserContext user, Guid cardId, CancellationToken cancellationToken);

    Task<byte[]?> ReadWeightsAsync(PortalUserContext user, Guid cardId, CancellationToken cancellationToken);

    /// <summary>
    /// The job's portable model package (zip: weights, architecture, preprocessing, the card, a README with a predict
    /// example); null when the user may not see the job or it has no package (not finished, or made before packages).
    /// </summary>
    Task<byte[]?> ReadPackageAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);
}

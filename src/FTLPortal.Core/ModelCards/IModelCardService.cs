using FTLPortal.Core.Security;

namespace FTLPortal.Core.ModelCards;

public interface IModelCardService
{
    Task<ModelCard?> FindByJobAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);

    Task<ModelCard?> FindAsync(PortalUserContext user, Guid cardId, CancellationToken cancellationToken);

    Task<byte[]?> ReadWeightsAsync(PortalUserContext user, Guid cardId, CancellationToken cancellationToken);
}

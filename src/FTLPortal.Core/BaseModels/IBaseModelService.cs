using FTLPortal.Core.Security;

namespace FTLPortal.Core.BaseModels;

public interface IBaseModelService
{
    Task<IReadOnlyList<BaseModel>> ListAsync(PortalUserContext user, CancellationToken cancellationToken);

    Task<BaseModel?> FindAsync(PortalUserContext user, Guid id, CancellationToken cancellationToken);

    Task<byte[]?> ReadWeightsAsync(PortalUserContext user, Guid id, CancellationToken cancellationToken);
}

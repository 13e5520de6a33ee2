using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>A model card store with no cards yet.</summary>
public sealed class NoModelCards : IModelCardService
{
    public Task<ModelCard?> FindByJobAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken) => Task.FromResult<ModelCard?>(null);

    public Task<ModelCard?> FindAsync(PortalUserContext user, Guid cardId, CancellationToken cancellationToken) => Task.FromResult<ModelCard?>(null);

    public Task<byte[]?> ReadWeightsAsync(PortalUserContext user, Guid cardId, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);

    public Task<byte[]?> ReadPackageAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);
}

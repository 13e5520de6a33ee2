using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Security;
using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.BaseModels;

/// <summary>Base models are the coordinator's own artifacts: every signed-in role may list them; weights go to scientists and admins.</summary>
internal sealed class BaseModelService(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore artifacts) : IBaseModelService
{
    public async Task<IReadOnlyList<BaseModel>> ListAsync(PortalUserContext user, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.BaseModels.AsNoTracking().OrderBy(m => m.Name).ThenByDescending(m => m.Version).ToListAsync(cancellationToken);
    }

    public async Task<BaseModel?> FindAsync(PortalUserContext user, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.BaseModels.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
    }

    public async Task<byte[]?> ReadWeightsAsync(PortalUserContext user, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.CanRunScience)
        {
            return null;
        }

        var model = await FindAsync(user, id, cancellationToken);
        return model is null ? null : await artifacts.ReadAsync(model.WeightsArtifact, cancellationToken);
    }
}

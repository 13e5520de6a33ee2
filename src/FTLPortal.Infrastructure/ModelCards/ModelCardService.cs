using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Security;
using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>Model cards and fine-tuned weights, visible to whoever may see the job that made them.</summary>
internal sealed class ModelCardService(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore artifacts) : IModelCardService
{
    public async Task<ModelCard?> FindByJobAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var card = await db.ModelCards.AsNoTracking().FirstOrDefaultAsync(c => c.JobId == jobId, cancellationToken);
        return card is not null && await MaySeeAsync(db, user, card.JobId, cancellationToken) ? card : null;
    }

    public async Task<ModelCard?> FindAsync(PortalUserContext user, Guid cardId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var card = await db.ModelCards.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cardId, cancellationToken);
        return card is not null && await MaySeeAsync(db, user, card.JobId, cancellationToken) ? card : null;
    }

    public async Task<byte[]?> ReadWeightsAsync(PortalUserContext user, Guid cardId, CancellationToken cancellationToken)
    {
        var card = await FindAsync(user, cardId, cancellationToken);
        return card is null ? null : await artifacts.ReadAsync(card.WeightsArtifact, cancellationToken);
    }

    public async Task<byte[]?> ReadPackageAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        var card = await FindByJobAsync(user, jobId, cancellationToken);
        return card is null ? null : await artifacts.ReadAsync(FineTuningJobHandler.PackageKey(jobId), cancellationToken);
    }

    private static async Task<bool> MaySeeAsync(PortalDbContext db, PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        return job is not null && JobService.CanSee(user, job);
    }
}

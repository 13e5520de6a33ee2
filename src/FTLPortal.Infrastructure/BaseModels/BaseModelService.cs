using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Security;
using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.BaseModels;

/// <summary>
/// Base models carry facts of the domain they were trained on (its name, rows, accuracy and class names, which are the raw
/// label values of a partner's CSV). Data scientists and admins see every model; anyone else only models pre-trained on a
/// domain of their own partner or produced by a job their partner took part in; weights go to scientists and admins.
/// </summary>
internal sealed class BaseModelService(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore artifacts) : IBaseModelService
{
    public async Task<IReadOnlyList<BaseModel>> ListAsync(PortalUserContext user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Visible(db, user).OrderBy(m => m.Name).ThenByDescending(m => m.Version).ToListAsync(cancellationToken);
    }

    public async Task<BaseModel?> FindAsync(PortalUserContext user, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Visible(db, user).FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
    }

    private static IQueryable<BaseModel> Visible(PortalDbContext db, PortalUserContext user)
    {
        var models = db.BaseModels.AsNoTracking();
        if (user.SeesAllDomains)
        {
            return models;
        }

        if (user.PartnerId is not { } partner)
        {
            return models.Where(_ => false);
        }

        var partnerText = partner.ToString();
        var ownDomains = db.Domains.Where(d => d.PartnerId == partner).Select(d => d.Id);
        var joinedJobs = db.Jobs.Where(j => j.InvolvedPartners.Contains(partnerText)).Select(j => j.Id);
        return models.Where(m => ownDomains.Contains(m.SourceDomainId) || (m.PretrainingJobId != null && joinedJobs.Contains(m.PretrainingJobId.Value)));
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

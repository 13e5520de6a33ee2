using FTLPortal.Core.BaseModels;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.BaseModels;

/// <summary>
/// Numbers a new base model as the next version of its name. Two jobs of one name may finish at the same moment (several
/// workers, several nodes): the unique index on (name, version) lets only one insert take a number, and the other takes
/// the next one, so no database error reaches the user.
/// </summary>
internal static class BaseModelVersions
{
    /// <summary>More clashes than this in a row means something else is wrong; the error then goes to the scheduler's retry.</summary>
    internal const int MaxAttempts = 20;

    public static async Task SaveAsNextVersionAsync(IDbContextFactory<PortalDbContext> dbFactory, BaseModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        ArgumentNullException.ThrowIfNull(model);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            model.Version = 1 + (await db.BaseModels.Where(m => m.Name == model.Name).MaxAsync(m => (int?)m.Version, cancellationToken) ?? 0);
            db.BaseModels.Add(model);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Another job took this number between our read and our insert: read again and take the next one.
                if (!await VersionTakenAsync(dbFactory, model, cancellationToken))
                {
                    throw;
                }
            }
        }
    }

    private static async Task<bool> VersionTakenAsync(IDbContextFactory<PortalDbContext> dbFactory, BaseModel model, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.BaseModels.AnyAsync(m => m.Name == model.Name && m.Version == model.Version && m.Id != model.Id, cancellationToken);
    }
}

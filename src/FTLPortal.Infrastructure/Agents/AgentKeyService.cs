using FTLPortal.Core.Agents;
using FTLPortal.Core.Naming;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Infrastructure.Agents;

/// <summary>
/// Agent keys in the portal database. The secret is returned once by <see cref="CreateAsync"/> and never stored or logged
/// (logs name the key's prefix). <see cref="AuthenticateAsync"/> is the agent channel's check.
/// </summary>
public sealed partial class AgentKeyService(
    IDbContextFactory<PortalDbContext> dbFactory,
    RemoteAgentConnections connections,
    CappedInsert cappedInsert,
    TimeProvider clock,
    ILogger<AgentKeyService> logger) : IAgentKeyService
{
    /// <summary>Last-used times are written at most this often per key (an agent reconnecting in a loop writes little).</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<AgentKeyResult<IReadOnlyList<AgentKeyRow>>> ListAsync(PortalUserContext user, Guid partnerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await MayManageAsync(db, user, partnerId, cancellationToken))
        {
            return Missing<IReadOnlyList<AgentKeyRow>>();
        }

        var keys = await db.AgentKeys.AsNoTracking().Where(k => k.PartnerId == partnerId).ToListAsync(cancellationToken);
        return new AgentKeyResult<IReadOnlyList<AgentKeyRow>>(
            keys.OrderByDescending(k => k.CreatedAt).Select(AgentKeyRow.Of).ToList(), null, false);
    }

    public async Task<AgentKeyResult<IssuedAgentKey>> CreateAsync(PortalUserContext user, Guid partnerId, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await MayManageAsync(db, user, partnerId, cancellationToken))
        {
            return Missing<IssuedAgentKey>();
        }

        var check = NameRule.Check(name, "agent key", AgentKey.MaxNameLength);
        if (!check.IsValid)
        {
            return Invalid<IssuedAgentKey>(check.Error!);
        }

        var secret = AgentKeySecret.Generate();
        var key = new AgentKey
        {
            PartnerId = partnerId,
            Name = check.Name!,
            Prefix = AgentKeySecret.PrefixOf(secret),
            SecretHash = AgentKeySecret.Hash(secret),
            CreatedBy = user.Email,
            CreatedAt = clock.GetUtcNow(),
        };

        // The cap holds under concurrency and across nodes: count and insert are one step per partner (CappedInsert says how).
        var full = await cappedInsert.RunAsync($"agent-keys:{partnerId}", db, async ct =>
        {
            if (await db.AgentKeys.CountAsync(k => k.PartnerId == partnerId, ct) >= AgentKey.MaxPerPartner)
            {
                return true;
            }

            db.AgentKeys.Add(key);
            await db.SaveChangesAsync(ct);
            return false;
        }, cancellationToken);
        if (full)
        {
            return Invalid<IssuedAgentKey>($"A partner may hold at most {AgentKey.MaxPerPartner} agent keys, revoked ones included. Nothing was created.");
        }

        LogKeyCreated(logger, user.Email, key.Prefix, partnerId);
        return new AgentKeyResult<IssuedAgentKey>(new IssuedAgentKey(AgentKeyRow.Of(key), secret), null, false);
    }

    public async Task<AgentKeyResult<AgentKeyRow>> RevokeAsync(PortalUserContext user, Guid partnerId, Guid keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await MayManageAsync(db, user, partnerId, cancellationToken))
        {
            return Missing<AgentKeyRow>();
        }

        var key = await db.AgentKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.PartnerId == partnerId, cancellationToken);
        if (key is null)
        {
            return Missing<AgentKeyRow>();
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            LogKeyRevoked(logger, user.Email, key.Prefix, partnerId);
        }

        // Also when it was already revoked: a connection that slipped in before the first revoke ends now.
        connections.DisconnectKey(key.Id);
        return new AgentKeyResult<AgentKeyRow>(AgentKeyRow.Of(key), null, false);
    }

    /// <summary>The partner a key speaks for, or null for a malformed, unknown or revoked key (or a partner that is gone).</summary>
    public async Task<AgentKeyIdentity?> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (!AgentKeySecret.LooksLikeKey(secret))
        {
            return null;
        }

        var hash = AgentKeySecret.Hash(secret!);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.AgentKeys.SingleOrDefaultAsync(k => k.SecretHash == hash, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            LogKeyRefused(logger, key?.Prefix ?? AgentKeySecret.PrefixOf(secret!), key is null ? "unknown" : "revoked");
            return null;
        }

        var partner = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == key.PartnerId, cancellationToken);
        if (partner is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (key.LastUsedAt is not { } used || now - used >= LastUsedResolution)
        {
            key.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new AgentKeyIdentity(key.Id, partner.Id, partner.Slug, key.Prefix);
    }

    private static async Task<bool> MayManageAsync(PortalDbContext db, PortalUserContext user, Guid partnerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.CanManageDomainsOf(partnerId) && await db.Partners.AnyAsync(p => p.Id == partnerId, ct);
    }

    private static AgentKeyResult<T> Missing<T>()
        where T : class => new(null, "not found", NotFound: true);

    private static AgentKeyResult<T> Invalid<T>(string error)
        where T : class => new(null, error, NotFound: false);

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} created agent key {Prefix}… for partner {PartnerId}")]
    private static partial void LogKeyCreated(ILogger logger, string user, string prefix, Guid partnerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} revoked agent key {Prefix}… of partner {PartnerId}")]
    private static partial void LogKeyRevoked(ILogger logger, string user, string prefix, Guid partnerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent key {Prefix}… refused ({Reason})")]
    private static partial void LogKeyRefused(ILogger logger, string prefix, string reason);
}

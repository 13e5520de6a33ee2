using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Naming;
using FTLPortal.Core.Partners;
using FTLPortal.Core.Security;
using FTLPortal.Federation.Agents;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Summaries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Domains;

/// <summary>Registers domains through the owning partner's agent and keeps only their summaries.</summary>
internal sealed class DomainService(IDbContextFactory<PortalDbContext> dbFactory, AgentDirectory agents, IOptions<PortalOptions> options, CappedInsert cappedInsert) : IDomainService
{
    /// <summary>One shared random-feature space for every summary, so embeddings are comparable.</summary>
    internal static readonly SummaryOptions SummaryOptions = new();

    public async Task<DomainRegistrationResult> RegisterAsync(PortalUserContext user, DomainRegistration registration, Stream csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(csv);
        if (!user.CanManageDomainsOf(registration.PartnerId))
        {
            return DomainRegistrationResult.Failure("You may only register domains for your own partner.");
        }

        var nameCheck = NameRule.Check(registration.Name, "domain");
        if (nameCheck.Name is not { } name)
        {
            return DomainRegistrationResult.Failure(nameCheck.Error!);
        }

        if (string.IsNullOrWhiteSpace(registration.LabelColumn))
        {
            return DomainRegistrationResult.Failure("Name the label column.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var partner = await db.Partners.FirstOrDefaultAsync(p => p.Id == registration.PartnerId, cancellationToken);
        if (partner is null)
        {
            return DomainRegistrationResult.Failure("Unknown partner.");
        }

        // Checked now so a refused upload costs no agent work, and again as the row is inserted (see below).
        if (Refusal(await NamesOfAsync(db, partner.Id, cancellationToken), name) is { } refusal)
        {
            return DomainRegistrationResult.Failure(refusal);
        }

        var domain = new Domain
        {
            PartnerId = partner.Id,
            Name = name,
            LabelColumn = registration.LabelColumn.Trim(),
            OriginalFileName = Path.GetFileName(registration.OriginalFileName),
            RegisteredBy = registration.RegisteredBy,
            SummaryJson = "{}",
        };

        var agent = agents.For(partner.Id, partner.Slug);
        DomainSummary summary;
        try
        {
            var upload = new DomainUpload(domain.LabelColumn)
            {
                OneHotEncodeCategoricals = registration.OneHotEncodeCategoricals,
                OneHotColumns = [.. (registration.OneHotColumns ?? []).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal)],
            };
            summary = await agent.RegisterDomainAsync(domain.Id.ToString(), csv, upload, SummaryOptions, cancellationToken);
        }
        catch (DatasetFormatException ex)
        {
            return DomainRegistrationResult.Failure(ex.Message);
        }
        catch (NotSupportedException ex)
        {
            return DomainRegistrationResult.Failure(ex.Message);
        }
        catch (HttpRequestException ex)
        {
            // A remote agent that is not connected (or dropped mid-upload): nothing was stored, and the message says why.
            return DomainRegistrationResult.Failure(ex.Message);
        }

        domain.SummaryJson = JsonSerializer.Serialize(summary);
        domain.Rows = summary.Rows;
        domain.FeatureCount = summary.FeatureNames.Count;
        domain.ClassCount = summary.ClassNames.Count;
        string? refused;
        try
        {
            // The cap and the name hold under concurrency: count and insert are one step per partner (CappedInsert says how).
            refused = await cappedInsert.RunAsync($"domains:{partner.Id}", db, async ct =>
            {
                if (Refusal(await NamesOfAsync(db, partner.Id, ct), name) is { } late)
                {
                    return late;
                }

                db.Domains.Add(domain);
                await db.SaveChangesAsync(ct);
                return null;
            }, cancellationToken);
        }
        catch
        {
            // Keep agent storage and database in step: no metadata, no file.
            await agent.DeleteDomainAsync(domain.Id.ToString(), CancellationToken.None);
            throw;
        }

        if (refused is not null)
        {
            // Another upload took the last place (or the name) while this one was summarised.
            await agent.DeleteDomainAsync(domain.Id.ToString(), CancellationToken.None);
            return DomainRegistrationResult.Failure(refused);
        }

        return DomainRegistrationResult.Success(domain);
    }

    private static Task<List<string>> NamesOfAsync(PortalDbContext db, Guid partnerId, CancellationToken cancellationToken) =>
        db.Domains.Where(d => d.PartnerId == partnerId).Select(d => d.Name).ToListAsync(cancellationToken);

    /// <summary>Why a new domain named <paramref name="name"/> may not join the partner's <paramref name="existing"/> ones, or null.</summary>
    private string? Refusal(List<string> existing, string name)
    {
        if (existing.FirstOrDefault(e => NameRule.LookAlike(e, name)) is { } taken)
        {
            return string.Equals(taken, name, StringComparison.Ordinal)
                ? $"Your partner already has a domain named '{name}'."
                : $"Your partner already has a domain named '{taken}', which '{name}' looks like; choose a name that reads differently.";
        }

        var maxDomains = options.Value.MaxDomainsPerPartner;
        return existing.Count >= maxDomains
            ? $"Your partner has {existing.Count:N0} domains, the most allowed ({maxDomains:N0}); delete one it no longer needs first."
            : null;
    }

    public async Task<IReadOnlyList<Partner>> ManageablePartnersAsync(PortalUserContext user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Partners.AsNoTracking();
        if (!user.IsAdmin)
        {
            if (!user.IsInRole(PortalRoles.PartnerAdmin) || user.PartnerId is not { } own)
            {
                return [];
            }

            query = query.Where(p => p.Id == own);
        }

        return await query.OrderBy(p => p.Name).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DomainListItem>> ListAsync(PortalUserContext user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = from d in db.Domains
                    join p in db.Partners on d.PartnerId equals p.Id
                    select new { d, p };
        if (!user.SeesAllDomains)
        {
            var partnerId = user.PartnerId ?? Guid.Empty;
            query = query.Where(x => x.d.PartnerId == partnerId);
        }

        var rows = await query.OrderBy(x => x.p.Name).ThenBy(x => x.d.Name).ToListAsync(cancellationToken);
        return rows.Select(x => new DomainListItem(x.d.Id, x.d.Name, x.p.Id, x.p.Name, x.d.Rows, x.d.FeatureCount, x.d.ClassCount, x.d.RegisteredAt)).ToList();
    }

    public async Task<Domain?> FindAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var domain = await db.Domains.AsNoTracking().FirstOrDefaultAsync(d => d.Id == domainId, cancellationToken);
        return domain is not null && user.CanSeeDomainsOf(domain.PartnerId) ? domain : null;
    }

    public async Task<bool> DeleteAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == domainId, cancellationToken);
        if (domain is null || !user.CanManageDomainsOf(domain.PartnerId))
        {
            return false;
        }

        if ((await ActiveJobNamesAsync(db, domainId, cancellationToken)).Count > 0)
        {
            return false;
        }

        var partner = await db.Partners.FirstAsync(p => p.Id == domain.PartnerId, cancellationToken);
        await agents.For(partner.Id, partner.Slug).DeleteDomainAsync(domain.Id.ToString(), cancellationToken);
        db.Domains.Remove(domain);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<string>> ActiveJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == domainId, cancellationToken);
        return domain is null || !user.CanSeeDomainsOf(domain.PartnerId) ? [] : await ActiveJobNamesAsync(db, domainId, cancellationToken);
    }

    // Jobs name their domains in their parameters (source, targets or the compared set).
    private static async Task<IReadOnlyList<string>> ActiveJobNamesAsync(PortalDbContext db, Guid domainId, CancellationToken cancellationToken)
    {
        var id = domainId.ToString();
        var active = await db.Jobs.Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .Select(j => new { j.Name, j.ParametersJson })
            .ToListAsync(cancellationToken);
        return active.Where(j => j.ParametersJson.Contains(id, StringComparison.OrdinalIgnoreCase)).Select(j => j.Name).ToList();
    }

    public async Task<bool> SetConsentAsync(PortalUserContext user, Guid domainId, DomainConsent consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(consent);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == domainId, cancellationToken);
        if (domain is null || !user.CanManageDomainsOf(domain.PartnerId))
        {
            return false;
        }

        // Jobs check consent as they start and before each round: a queued job honours it, a running one from its next round.
        domain.SimilarityConsent = consent.Similarity;
        domain.TrainingConsent = consent.Training;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<DomainJobUse>> ListJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await FindAsync(user, domainId, cancellationToken) is null)
        {
            return [];
        }

        // Job parameters name their domains by id (similarity, pre-training and fine-tuning parameters alike).
        string id = domainId.ToString();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.ParametersJson.Contains(id))
            .Select(j => new DomainJobUse(j.Id, j.Name, j.Kind, j.Status, j.CreatedBy, j.CreatedAt))
            .ToListAsync(cancellationToken);

        // SQLite cannot order by DateTimeOffset in the query.
        return jobs.OrderByDescending(j => j.CreatedAt).ToList();
    }
}

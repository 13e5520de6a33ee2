using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Partners;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Domains held in memory with the real service's visibility and management rules (Core's PortalUserContext).</summary>
public sealed class FakeDomainService : IDomainService
{
    public List<Partner> Partners { get; } = [];

    public List<Domain> Domains { get; } = [];

    public List<DomainRegistration> Registrations { get; } = [];

    public List<Guid> Deleted { get; } = [];

    public Dictionary<Guid, List<string>> ActiveJobs { get; } = [];

    public Partner AddPartner(Guid id, string name)
    {
        var partner = new Partner { Id = id, Name = name, Slug = name.ToLowerInvariant() };
        Partners.Add(partner);
        return partner;
    }

    /// <summary>A domain whose summary has the given features and classes (realistic moments and class counts).</summary>
    public Domain AddDomain(Guid partnerId, string name, int rows, string[] features, string[] classes, bool consent = false)
    {
        var counts = classes.Select((_, i) => rows / classes.Length + (i == 0 ? rows % classes.Length : 0)).ToList();
        var stats = new DomainStatistics
        {
            Rows = rows,
            FeatureNames = features,
            Means = features.Select((_, i) => 0.5 + (0.25 * i)).ToList(),
            StandardDeviations = features.Select((_, i) => 1.0 + (0.1 * i)).ToList(),
            ClassNames = classes,
            ClassCounts = counts,
        };
        var domain = new Domain
        {
            PartnerId = partnerId,
            Name = name,
            LabelColumn = "label",
            OriginalFileName = name + ".csv",
            Rows = rows,
            FeatureCount = features.Length,
            ClassCount = classes.Length,
            SummaryJson = JsonSerializer.Serialize(stats),
            SimilarityConsent = consent,
            TrainingConsent = consent,
            RegisteredBy = "admin@" + partnerId.ToString()[..4] + ".example",
            RegisteredAt = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero),
        };
        Domains.Add(domain);
        return domain;
    }

    public Task<DomainRegistrationResult> RegisterAsync(PortalUserContext user, DomainRegistration registration, Stream csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(registration);
        if (!user.CanManageDomainsOf(registration.PartnerId))
        {
            return Task.FromResult(DomainRegistrationResult.Failure("You may not register domains for this partner."));
        }

        Registrations.Add(registration);
        var domain = AddDomain(registration.PartnerId, registration.Name, 3, ["f1", "f2"], ["a", "b"]);
        return Task.FromResult(DomainRegistrationResult.Success(domain));
    }

    public Task<IReadOnlyList<Partner>> ManageablePartnersAsync(PortalUserContext user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Partner>>(Partners.Where(p => user.CanManageDomainsOf(p.Id)).ToList());

    public Task<IReadOnlyList<DomainListItem>> ListAsync(PortalUserContext user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DomainListItem>>(Domains.Where(d => user.CanSeeDomainsOf(d.PartnerId))
            .Select(d => new DomainListItem(d.Id, d.Name, d.PartnerId, PartnerName(d.PartnerId), d.Rows, d.FeatureCount, d.ClassCount, d.RegisteredAt))
            .ToList());

    public Task<Domain?> FindAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) =>
        Task.FromResult(Domains.FirstOrDefault(d => d.Id == domainId && user.CanSeeDomainsOf(d.PartnerId)));

    public Task<bool> DeleteAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken)
    {
        var domain = Domains.FirstOrDefault(d => d.Id == domainId);
        if (domain is null || !user.CanManageDomainsOf(domain.PartnerId) || ActiveJobs.ContainsKey(domainId))
        {
            return Task.FromResult(false);
        }

        Domains.Remove(domain);
        Deleted.Add(domainId);
        return Task.FromResult(true);
    }

    public Task<bool> SetConsentAsync(PortalUserContext user, Guid domainId, DomainConsent consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var domain = Domains.FirstOrDefault(d => d.Id == domainId);
        if (domain is null || !user.CanManageDomainsOf(domain.PartnerId))
        {
            return Task.FromResult(false);
        }

        domain.SimilarityConsent = consent.Similarity;
        domain.TrainingConsent = consent.Training;
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<DomainJobUse>> ListJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DomainJobUse>>([]);

    public Task<IReadOnlyList<string>> ActiveJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(ActiveJobs.TryGetValue(domainId, out var names) ? names : []);

    private string PartnerName(Guid partnerId) => Partners.FirstOrDefault(p => p.Id == partnerId)?.Name ?? "?";
}

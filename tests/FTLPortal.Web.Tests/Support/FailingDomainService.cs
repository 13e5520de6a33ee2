using FTLPortal.Core.Domains;
using FTLPortal.Core.Partners;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>A domain service whose storage fails with a message naming a partner's file, as a real I/O error would.</summary>
public sealed class FailingDomainService : IDomainService
{
    public const string SecretPath = "/srv/ftl/data/agents/contoso/domains/secret-patients.csv";

    private static IOException Failure() => new($"Could not read '{SecretPath}'.");

    public Task<DomainRegistrationResult> RegisterAsync(PortalUserContext user, DomainRegistration registration, Stream csv, CancellationToken cancellationToken) => throw Failure();

    public Task<IReadOnlyList<Partner>> ManageablePartnersAsync(PortalUserContext user, CancellationToken cancellationToken) => throw Failure();

    public Task<IReadOnlyList<DomainListItem>> ListAsync(PortalUserContext user, CancellationToken cancellationToken) => throw Failure();

    public Task<Domain?> FindAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) => throw Failure();

    public Task<bool> DeleteAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) => throw Failure();

    public Task<IReadOnlyList<DomainJobUse>> ListJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) => throw Failure();

    public Task<IReadOnlyList<string>> ActiveJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) => throw Failure();

    public Task<bool> SetConsentAsync(PortalUserContext user, Guid domainId, DomainConsent consent, CancellationToken cancellationToken) => throw Failure();
}

using FTLPortal.Core.Partners;
using FTLPortal.Core.Security;

namespace FTLPortal.Core.Domains;

/// <summary>Registering and listing domains, filtered by what the user may see.</summary>
public interface IDomainService
{
    /// <summary>Hands the file to the owning partner's agent; on bad input returns the agent's message and stores nothing.</summary>
    Task<DomainRegistrationResult> RegisterAsync(PortalUserContext user, DomainRegistration registration, Stream csv, CancellationToken cancellationToken);

    /// <summary>The partners the user may register domains for (their own; every partner for Admin).</summary>
    Task<IReadOnlyList<Partner>> ManageablePartnersAsync(PortalUserContext user, CancellationToken cancellationToken);

    Task<IReadOnlyList<DomainListItem>> ListAsync(PortalUserContext user, CancellationToken cancellationToken);

    /// <summary>The domain if the user may see it, otherwise null (no hint that it exists).</summary>
    Task<Domain?> FindAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken);

    /// <summary>Deletes the domain; refused (false) when the user may not manage it or a queued or running job uses it.</summary>
    Task<bool> DeleteAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken);

    /// <summary>The owning partner's admin grants or withdraws consent; false when the user may not manage the domain.</summary>
    Task<bool> SetConsentAsync(PortalUserContext user, Guid domainId, DomainConsent consent, CancellationToken cancellationToken);

    /// <summary>
    /// The audit list: every job whose parameters name the domain, newest first; empty when the user may not see the domain.
    /// </summary>
    Task<IReadOnlyList<DomainJobUse>> ListJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken);

    /// <summary>Names of the queued or running jobs that use the domain: while there are any it cannot be deleted.</summary>
    Task<IReadOnlyList<string>> ActiveJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken);
}

using FTLPortal.Core.Security;

namespace FTLPortal.Core.Administration;

/// <summary>
/// The admin console's use cases: partners, users, roles and whole new federations. Every call needs an Admin; a
/// refused request stores nothing and says why. Changes to a user's access end that user's sessions.
/// </summary>
public interface IPortalAdministration
{
    Task<IReadOnlyList<PartnerRow>> ListPartnersAsync(PortalUserContext admin, CancellationToken cancellationToken);

    Task<IReadOnlyList<UserRow>> ListUsersAsync(PortalUserContext admin, CancellationToken cancellationToken);

    /// <summary>Creates a partner with its agent and private storage folder, ready for uploads.</summary>
    Task<AdministrationResult<PartnerRow>> CreatePartnerAsync(PortalUserContext admin, string name, CancellationToken cancellationToken);

    /// <summary>Changes the display name; the slug (and so the agent's folder) stays.</summary>
    Task<AdministrationResult<PartnerRow>> RenamePartnerAsync(PortalUserContext admin, Guid partnerId, string name, CancellationToken cancellationToken);

    /// <summary>Creates an account with a generated password, returned once.</summary>
    Task<AdministrationResult<IssuedCredentials>> CreateUserAsync(PortalUserContext admin, NewUserRequest request, CancellationToken cancellationToken);

    /// <summary>Sets the user's one role and partner; ends the user's sessions when anything changed.</summary>
    Task<AdministrationResult<UserRow>> AssignAsync(PortalUserContext admin, string userId, UserAssignment assignment, CancellationToken cancellationToken);

    /// <summary>Disables (and signs out everywhere) or enables an account.</summary>
    Task<AdministrationResult<UserRow>> SetEnabledAsync(PortalUserContext admin, string userId, bool enabled, CancellationToken cancellationToken);

    /// <summary>Replaces the password with a generated one, returned once, and ends the user's sessions.</summary>
    Task<AdministrationResult<IssuedCredentials>> ResetPasswordAsync(PortalUserContext admin, string userId, CancellationToken cancellationToken);

    /// <summary>Creates several partners, each with a partner admin, all or nothing.</summary>
    Task<AdministrationResult<IReadOnlyList<IssuedCredentials>>> CreateFederationAsync(PortalUserContext admin, IReadOnlyList<NewFederationPartner> partners, CancellationToken cancellationToken);
}

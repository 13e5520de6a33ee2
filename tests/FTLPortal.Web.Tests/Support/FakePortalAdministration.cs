using FTLPortal.Core.Administration;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>An in-memory admin console for component tests: records what the page asked and answers from its lists.</summary>
public sealed class FakePortalAdministration : IPortalAdministration
{
    public List<PartnerRow> Partners { get; } = [];

    public List<UserRow> Users { get; } = [];

    public List<IReadOnlyList<NewFederationPartner>> FederationRequests { get; } = [];

    /// <summary>When set, every write fails with this message.</summary>
    public string? FailWith { get; set; }

    /// <summary>When set, writes wait for it, so a test can look at the page while a request is in flight.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public Task<IReadOnlyList<PartnerRow>> ListPartnersAsync(PortalUserContext admin, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PartnerRow>>(Partners.ToList());

    public Task<IReadOnlyList<UserRow>> ListUsersAsync(PortalUserContext admin, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UserRow>>(Users.ToList());

    public Task<AdministrationResult<PartnerRow>> CreatePartnerAsync(PortalUserContext admin, string name, CancellationToken cancellationToken) =>
        WriteAsync(() =>
        {
            var row = new PartnerRow(Guid.NewGuid(), name.Trim(), name.Trim().ToLowerInvariant(), 0, 0, DateTimeOffset.UnixEpoch);
            Partners.Add(row);
            return row;
        });

    public Task<AdministrationResult<PartnerRow>> RenamePartnerAsync(PortalUserContext admin, Guid partnerId, string name, CancellationToken cancellationToken) =>
        WriteAsync(() =>
        {
            var index = Partners.FindIndex(p => p.Id == partnerId);
            Partners[index] = Partners[index] with { Name = name };
            return Partners[index];
        });

    public Task<AdministrationResult<IssuedCredentials>> CreateUserAsync(PortalUserContext admin, NewUserRequest request, CancellationToken cancellationToken) =>
        WriteAsync(() =>
        {
            var row = new UserRow(Guid.NewGuid().ToString(), request.Email, request.DisplayName, request.Role, request.PartnerId, null, false);
            Users.Add(row);
            return new IssuedCredentials(row, "Generated-" + Users.Count);
        });

    public Task<AdministrationResult<UserRow>> AssignAsync(PortalUserContext admin, string userId, UserAssignment assignment, CancellationToken cancellationToken) =>
        WriteAsync(() => Replace(userId, u => u with { Role = assignment.Role, PartnerId = assignment.PartnerId }));

    public Task<AdministrationResult<UserRow>> SetEnabledAsync(PortalUserContext admin, string userId, bool enabled, CancellationToken cancellationToken) =>
        WriteAsync(() => Replace(userId, u => u with { Disabled = !enabled }));

    public Task<AdministrationResult<IssuedCredentials>> ResetPasswordAsync(PortalUserContext admin, string userId, CancellationToken cancellationToken) =>
        WriteAsync(() => new IssuedCredentials(Users.Single(u => u.Id == userId), "Reset-Password-1"));

    public Task<AdministrationResult<IReadOnlyList<IssuedCredentials>>> CreateFederationAsync(
        PortalUserContext admin, IReadOnlyList<NewFederationPartner> partners, CancellationToken cancellationToken)
    {
        FederationRequests.Add(partners);
        return WriteAsync<IReadOnlyList<IssuedCredentials>>(() => partners.Select((p, i) =>
        {
            var partner = new PartnerRow(Guid.NewGuid(), p.Name, p.Name.ToLowerInvariant(), 1, 0, DateTimeOffset.UnixEpoch);
            Partners.Add(partner);
            var user = new UserRow(Guid.NewGuid().ToString(), p.AdminEmail, p.Name + " Admin", PortalRoles.PartnerAdmin, partner.Id, p.Name, false);
            Users.Add(user);
            return new IssuedCredentials(user, $"Federation-Password-{i + 1}");
        }).ToList());
    }

    private UserRow Replace(string userId, Func<UserRow, UserRow> change)
    {
        var index = Users.FindIndex(u => u.Id == userId);
        Users[index] = change(Users[index]);
        return Users[index];
    }

    private async Task<AdministrationResult<T>> WriteAsync<T>(Func<T> write)
        where T : class
    {
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        return FailWith is { } error ? new AdministrationResult<T>(null, error) : new AdministrationResult<T>(write(), null);
    }
}

using System.Net.Mail;
using FTLPortal.Core.Administration;
using FTLPortal.Core.Naming;
using FTLPortal.Core.Partners;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Infrastructure.Administration;

/// <summary>
/// The admin console over Identity and the portal database. A singleton: each call opens its own scope, so a long-lived
/// circuit never holds a stale DbContext. Writes are serialised in the process, so two admins cannot both pass the
/// uniqueness and last-admin checks at once; multi-step writes run in one transaction (all or nothing).
/// </summary>
public sealed partial class PortalAdministration(
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> dbFactory,
    AgentDirectory agents,
    PortalPaths paths,
    TimeProvider clock,
    ILogger<PortalAdministration> logger) : IPortalAdministration
{
    public const int MaxFederationPartners = 50;

    private const int MaxNameLength = 200;
    private const int MaxEmailLength = 256;

    private static readonly SemaphoreSlim Writes = new(1, 1);

    public async Task<IReadOnlyList<PartnerRow>> ListPartnersAsync(PortalUserContext admin, CancellationToken cancellationToken)
    {
        RequireAdmin(admin);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.Where(u => u.PartnerId != null).GroupBy(u => u.PartnerId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var domains = await db.Domains.GroupBy(d => d.PartnerId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var partners = await db.Partners.AsNoTracking().ToListAsync(cancellationToken);
        return partners
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(p => new PartnerRow(p.Id, p.Name, p.Slug, users.GetValueOrDefault(p.Id), domains.GetValueOrDefault(p.Id), p.CreatedAt))
            .ToList();
    }

    public async Task<IReadOnlyList<UserRow>> ListUsersAsync(PortalUserContext admin, CancellationToken cancellationToken)
    {
        RequireAdmin(admin);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().ToListAsync(cancellationToken);
        var roles = await RolesByUserAsync(db, cancellationToken);
        var partners = await db.Partners.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        return users
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .Select(u => RowOf(u, roles.GetValueOrDefault(u.Id), partners))
            .ToList();
    }

    public Task<AdministrationResult<PartnerRow>> CreatePartnerAsync(PortalUserContext admin, string name, CancellationToken cancellationToken)
    {
        return WriteAsync(admin, async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var existing = await db.Partners.AsNoTracking().ToListAsync(cancellationToken);
            var error = CheckPartnerName(name, existing, except: null, out var clean);
            if (error is not null)
            {
                return Fail<PartnerRow>(error);
            }

            var partner = NewPartner(clean, existing.Select(p => p.Slug));
            db.Partners.Add(partner);
            await db.SaveChangesAsync(cancellationToken);
            StartAgent(partner);
            LogPartnerCreated(logger, admin.Email, partner.Name, partner.Slug);
            return Ok(new PartnerRow(partner.Id, partner.Name, partner.Slug, 0, 0, partner.CreatedAt));
        }, cancellationToken);
    }

    public Task<AdministrationResult<PartnerRow>> RenamePartnerAsync(PortalUserContext admin, Guid partnerId, string name, CancellationToken cancellationToken)
    {
        return WriteAsync(admin, async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var existing = await db.Partners.ToListAsync(cancellationToken);
            var partner = existing.FirstOrDefault(p => p.Id == partnerId);
            if (partner is null)
            {
                return Fail<PartnerRow>("That partner does not exist (any more). Nothing was changed.");
            }

            var error = CheckPartnerName(name, existing, except: partnerId, out var clean);
            if (error is not null)
            {
                return Fail<PartnerRow>(error);
            }

            var old = partner.Name;
            partner.Name = clean;
            await db.SaveChangesAsync(cancellationToken);
            LogPartnerRenamed(logger, admin.Email, old, clean);
            var users = await db.Users.CountAsync(u => u.PartnerId == partnerId, cancellationToken);
            var domains = await db.Domains.CountAsync(d => d.PartnerId == partnerId, cancellationToken);
            return Ok(new PartnerRow(partner.Id, partner.Name, partner.Slug, users, domains, partner.CreatedAt));
        }, cancellationToken);
    }

    public Task<AdministrationResult<IssuedCredentials>> CreateUserAsync(PortalUserContext admin, NewUserRequest request, CancellationToken cancellationToken)
    {
        return WriteInScopeAsync(admin, async sp =>
        {
            ArgumentNullException.ThrowIfNull(request);
            var db = sp.GetRequiredService<PortalDbContext>();
            var users = sp.GetRequiredService<UserManager<PortalUser>>();
            var partners = await db.Partners.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);

            var emailError = CheckEmail(request.Email, out var email);
            var error = emailError
                ?? CheckAssignment(new UserAssignment(request.Role, request.PartnerId), partners)
                ?? CheckDisplayName(request.DisplayName);
            if (error is null && await users.FindByEmailAsync(email) is not null)
            {
                error = $"A user with the email {email} exists already. Nothing was stored.";
            }

            if (error is not null)
            {
                return Fail<IssuedCredentials>(error);
            }

            await EnsureRolesAsync(sp);
            var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim();
            var password = GeneratedPassword.Create();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (user, createError) = await AddUserAsync(users, email, displayName, request.Role, request.PartnerId, password);
            if (user is null)
            {
                return Fail<IssuedCredentials>(createError!);
            }

            await transaction.CommitAsync(cancellationToken);
            LogUserCreated(logger, admin.Email, email, request.Role);
            return Ok(new IssuedCredentials(RowOf(user, request.Role, partners), password));
        }, cancellationToken);
    }

    public Task<AdministrationResult<UserRow>> AssignAsync(PortalUserContext admin, string userId, UserAssignment assignment, CancellationToken cancellationToken)
    {
        return WriteInScopeAsync(admin, async sp =>
        {
            ArgumentNullException.ThrowIfNull(assignment);
            var db = sp.GetRequiredService<PortalDbContext>();
            var users = sp.GetRequiredService<UserManager<PortalUser>>();
            var partners = await db.Partners.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
            var user = await users.FindByIdAsync(userId ?? "");
            if (user is null)
            {
                return Fail<UserRow>("That user does not exist (any more). Nothing was changed.");
            }

            var current = await users.GetRolesAsync(user);
            var error = CheckAssignment(assignment, partners);
            if (error is null && current.Contains(PortalRoles.Admin) && assignment.Role != PortalRoles.Admin)
            {
                error = await CheckAdminMayLeaveAsync(db, admin, user, "remove your own Admin role", "demoting", cancellationToken);
            }

            if (error is not null)
            {
                return Fail<UserRow>(error);
            }

            var roleChanged = current.Count != 1 || current[0] != assignment.Role;
            var partnerChanged = user.PartnerId != assignment.PartnerId;
            if (roleChanged || partnerChanged)
            {
                await EnsureRolesAsync(sp);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (partnerChanged)
                {
                    user.PartnerId = assignment.PartnerId;
                    Check(await users.UpdateAsync(user), "update the user");
                }

                // Both end the user's sessions: the role and partner are claims in their cookie.
                var access = sp.GetRequiredService<PortalUserAccess>();
                if (roleChanged)
                {
                    await access.SetRolesAsync(user, [assignment.Role]);
                }
                else
                {
                    await access.EndSessionsAsync(user);
                }

                await transaction.CommitAsync(cancellationToken);
                LogUserAssigned(logger, admin.Email, user.Email ?? user.Id, assignment.Role, assignment.PartnerId is { } p ? partners[p] : "none");
            }

            return Ok(RowOf(user, assignment.Role, partners, Disabled(user)));
        }, cancellationToken);
    }

    public Task<AdministrationResult<UserRow>> SetEnabledAsync(PortalUserContext admin, string userId, bool enabled, CancellationToken cancellationToken)
    {
        return WriteInScopeAsync(admin, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            var users = sp.GetRequiredService<UserManager<PortalUser>>();
            var user = await users.FindByIdAsync(userId ?? "");
            if (user is null)
            {
                return Fail<UserRow>("That user does not exist (any more). Nothing was changed.");
            }

            var roles = await users.GetRolesAsync(user);
            if (!enabled && roles.Contains(PortalRoles.Admin))
            {
                var error = await CheckAdminMayLeaveAsync(db, admin, user, "disable your own account", "disabling", cancellationToken);
                if (error is not null)
                {
                    return Fail<UserRow>(error);
                }
            }

            if (enabled && Disabled(user))
            {
                Check(await users.SetLockoutEndDateAsync(user, null), "unlock the account");
                Check(await users.ResetAccessFailedCountAsync(user), "reset failed sign-ins");
                LogUserEnabled(logger, admin.Email, user.Email ?? user.Id);
            }
            else if (!enabled && !Disabled(user))
            {
                await sp.GetRequiredService<PortalUserAccess>().DisableAsync(user);
                LogUserDisabled(logger, admin.Email, user.Email ?? user.Id);
            }

            var partners = await db.Partners.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
            return Ok(RowOf(user, FirstRole(roles), partners, Disabled(user)));
        }, cancellationToken);
    }

    public Task<AdministrationResult<IssuedCredentials>> ResetPasswordAsync(PortalUserContext admin, string userId, CancellationToken cancellationToken)
    {
        return WriteInScopeAsync(admin, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<PortalUser>>();
            var user = await users.FindByIdAsync(userId ?? "");
            if (user is null)
            {
                return Fail<IssuedCredentials>("That user does not exist (any more). Nothing was changed.");
            }

            var password = GeneratedPassword.Create();
            var token = await users.GeneratePasswordResetTokenAsync(user);
            Check(await users.ResetPasswordAsync(user, token, password), "reset the password");
            // Identity changes the stamp on a reset already; said again here because ending the sessions is the point.
            await sp.GetRequiredService<PortalUserAccess>().EndSessionsAsync(user);
            LogPasswordReset(logger, admin.Email, user.Email ?? user.Id);

            var db = sp.GetRequiredService<PortalDbContext>();
            var partners = await db.Partners.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
            return Ok(new IssuedCredentials(RowOf(user, FirstRole(await users.GetRolesAsync(user)), partners, Disabled(user)), password));
        }, cancellationToken);
    }

    public Task<AdministrationResult<IReadOnlyList<IssuedCredentials>>> CreateFederationAsync(
        PortalUserContext admin, IReadOnlyList<NewFederationPartner> partners, CancellationToken cancellationToken)
    {
        return WriteInScopeAsync(admin, async sp =>
        {
            ArgumentNullException.ThrowIfNull(partners);
            if (partners.Count is 0 or > MaxFederationPartners)
            {
                return Fail<IReadOnlyList<IssuedCredentials>>($"A new federation has between 1 and {MaxFederationPartners} partners. Nothing was stored.");
            }

            var db = sp.GetRequiredService<PortalDbContext>();
            var users = sp.GetRequiredService<UserManager<PortalUser>>();
            var existing = await db.Partners.AsNoTracking().ToListAsync(cancellationToken);

            // Everything is checked before anything is written, so a bad row stores nothing.
            var planned = new List<(string Name, string Email)>();
            for (var i = 0; i < partners.Count; i++)
            {
                var row = partners[i];
                var nameError = CheckPartnerName(row.Name, existing, except: null, out var name);
                var emailError = CheckEmail(row.AdminEmail, out var email);
                var error = nameError ?? emailError;
                if (error is null && planned.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    error = $"The name '{name}' is given twice.";
                }

                if (error is null && planned.Any(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase)))
                {
                    error = $"The email {email} is given twice.";
                }

                if (error is null && await users.FindByEmailAsync(email) is not null)
                {
                    error = $"A user with the email {email} exists already.";
                }

                if (error is not null)
                {
                    return Fail<IReadOnlyList<IssuedCredentials>>($"Partner {i + 1}: {error.Replace(" Nothing was stored.", "", StringComparison.Ordinal)} Nothing was stored.");
                }

                planned.Add((name, email));
            }

            await EnsureRolesAsync(sp);
            var slugs = existing.Select(p => p.Slug).ToList();
            var created = new List<(Partner Partner, PortalUser User, string Password)>();
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                foreach (var (name, email) in planned)
                {
                    var partner = NewPartner(name, slugs);
                    slugs.Add(partner.Slug);
                    db.Partners.Add(partner);
                    await db.SaveChangesAsync(cancellationToken);
                    var password = GeneratedPassword.Create();
                    var (user, error) = await AddUserAsync(users, email, $"{name} Admin", PortalRoles.PartnerAdmin, partner.Id, password);
                    if (user is null)
                    {
                        return Fail<IReadOnlyList<IssuedCredentials>>(error!);
                    }

                    created.Add((partner, user, password));
                }

                await transaction.CommitAsync(cancellationToken);
            }

            foreach (var (partner, user, _) in created)
            {
                StartAgent(partner);
                LogPartnerCreated(logger, admin.Email, partner.Name, partner.Slug);
                LogUserCreated(logger, admin.Email, user.Email ?? user.Id, PortalRoles.PartnerAdmin);
            }

            var names = created.ToDictionary(c => c.Partner.Id, c => c.Partner.Name);
            return Ok<IReadOnlyList<IssuedCredentials>>(created.Select(c => new IssuedCredentials(RowOf(c.User, PortalRoles.PartnerAdmin, names), c.Password)).ToList());
        }, cancellationToken);
    }

    /// <summary>
    /// An admin's write, one at a time in the process: two admins cannot both pass the uniqueness and last-admin checks.
    /// </summary>
    private static async Task<T> WriteAsync<T>(PortalUserContext admin, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        RequireAdmin(admin);
        await Writes.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            Writes.Release();
        }
    }

    /// <summary><see cref="WriteAsync{T}"/> with a scope of its own (Identity's managers and a fresh DbContext).</summary>
    private Task<T> WriteInScopeAsync<T>(PortalUserContext admin, Func<IServiceProvider, Task<T>> write, CancellationToken cancellationToken) =>
        WriteAsync(admin, async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await write(scope.ServiceProvider);
        }, cancellationToken);

    private static void RequireAdmin(PortalUserContext admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (!admin.IsAdmin)
        {
            throw new UnauthorizedAccessException("Only administrators may administer users and partners.");
        }
    }

    private static AdministrationResult<T> Ok<T>(T value)
        where T : class => new(value, null);

    private static AdministrationResult<T> Fail<T>(string error)
        where T : class => new(null, error);

    private static string? CheckPartnerName(string? name, IEnumerable<Partner> existing, Guid? except, out string clean)
    {
        // Inner runs of spaces collapse, so "Acme  Labs" and "Acme Labs" count as one name.
        clean = string.Join(' ', (name ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (clean.Length == 0)
        {
            return "Give the partner a name. Nothing was stored.";
        }

        if (clean.Length > MaxNameLength)
        {
            return $"A partner name has at most {MaxNameLength} characters. Nothing was stored.";
        }

        if (NameRule.Check(clean, "partner", MaxNameLength) is { IsValid: false } refused)
        {
            return refused.Error + " Nothing was stored.";
        }

        // Lookalikes too: "Northwіnd" with a Cyrillic і would pass for Northwind in every list.
        var taken = clean;
        var clash = existing.FirstOrDefault(p => p.Id != except
            && (string.Equals(p.Name.Trim(), taken, StringComparison.OrdinalIgnoreCase) || NameRule.LookAlike(p.Name.Trim(), taken)));
        return clash is null ? null : $"A partner named '{clash.Name}' exists already (names are compared ignoring case and lookalike letters). Nothing was stored.";
    }

    private static string? CheckEmail(string? input, out string email)
    {
        email = (input ?? "").Trim();
        if (email.Length == 0)
        {
            return "Give an email address. Nothing was stored.";
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        var valid = email.Length <= MaxEmailLength
            && MailAddress.TryCreate(email, out var parsed)
            && parsed.Address == email
            && at > 0
            && at == email.LastIndexOf('@')
            && email[(at + 1)..].Contains('.', StringComparison.Ordinal)
            && !email.Any(char.IsWhiteSpace);
        return valid ? null : $"'{email}' is not an email address (name@example.org). Nothing was stored.";
    }

    private static string? CheckDisplayName(string? displayName) =>
        (displayName ?? "").Trim().Length > MaxNameLength ? $"A display name has at most {MaxNameLength} characters. Nothing was stored." : null;

    private static string? CheckAssignment(UserAssignment assignment, Dictionary<Guid, string> partners)
    {
        if (!PortalRoles.All.Contains(assignment.Role))
        {
            return $"'{assignment.Role}' is not a role; choose one of {string.Join(", ", PortalRoles.All)}. Nothing was stored.";
        }

        if (assignment.PartnerId is { } partnerId && !partners.ContainsKey(partnerId))
        {
            return "That partner does not exist (any more). Nothing was stored.";
        }

        return assignment.Role == PortalRoles.PartnerAdmin && assignment.PartnerId is null
            ? "A partner admin acts for a partner: choose one. Nothing was stored."
            : null;
    }

    /// <summary>Refuses when the admin acts on themselves, or when <paramref name="user"/> is the last enabled admin.</summary>
    private async Task<string?> CheckAdminMayLeaveAsync(PortalDbContext db, PortalUserContext admin, PortalUser user, string selfAction, string otherAction, CancellationToken cancellationToken)
    {
        if (user.Id == admin.UserId)
        {
            return $"You cannot {selfAction}; another admin can. Nothing was changed.";
        }

        var adminIds = await (from ur in db.UserRoles
                              join r in db.Roles on ur.RoleId equals r.Id
                              where r.Name == PortalRoles.Admin && ur.UserId != user.Id
                              select ur.UserId).ToListAsync(cancellationToken);
        var others = await db.Users.AsNoTracking().Where(u => adminIds.Contains(u.Id)).ToListAsync(cancellationToken);
        return others.Any(u => !Disabled(u))
            ? null
            : $"{user.Email} is the last enabled admin; {otherAction} them would leave nobody to administer the portal. Make another user Admin first. Nothing was changed.";
    }

    private static async Task<(PortalUser? User, string? Error)> AddUserAsync(
        UserManager<PortalUser> users, string email, string displayName, string role, Guid? partnerId, string password)
    {
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, PartnerId = partnerId };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, $"Could not create {email}: {string.Join(" ", created.Errors.Select(e => e.Description))} Nothing was stored.");
        }

        Check(await users.AddToRoleAsync(user, role), $"give {email} the role {role}");
        return (user, null);
    }

    private static async Task EnsureRolesAsync(IServiceProvider sp)
    {
        // A portal started without the demo seed has no roles yet.
        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the role {role}");
            }
        }
    }

    private Partner NewPartner(string name, IEnumerable<string> takenSlugs)
    {
        var taken = takenSlugs.ToHashSet(StringComparer.OrdinalIgnoreCase);
        // A leftover folder from another data set must not be adopted by a new partner.
        var slug = PartnerSlug.Unique(name, s => taken.Contains(s) || Directory.Exists(Path.Combine(paths.AgentsDirectory, s)));
        return new Partner { Name = name, Slug = slug, CreatedAt = clock.GetUtcNow() };
    }

    /// <summary>The partner's in-process agent, which creates its private folder: uploads work at once.</summary>
    private void StartAgent(Partner partner) => agents.For(partner.Id, partner.Slug);

    private static async Task<Dictionary<string, string>> RolesByUserAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var pairs = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => FirstRole(g.Select(p => p.Name!).ToList())!);
    }

    /// <summary>Users have one role; should one have several, the most powerful is shown.</summary>
    private static string? FirstRole(IList<string> roles) => PortalRoles.All.FirstOrDefault(roles.Contains);

    private bool Disabled(PortalUser user) => user.LockoutEnabled && user.LockoutEnd is { } end && end > clock.GetUtcNow();

    private UserRow RowOf(PortalUser user, string? role, Dictionary<Guid, string> partners) => RowOf(user, role, partners, Disabled(user));

    private static UserRow RowOf(PortalUser user, string? role, Dictionary<Guid, string> partners, bool disabled) =>
        new(user.Id, user.Email ?? user.UserName ?? "", user.DisplayName, role, user.PartnerId,
            user.PartnerId is { } p ? partners.GetValueOrDefault(p) : null, disabled);

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Admin} created partner {Partner} ({Slug})")]
    private static partial void LogPartnerCreated(ILogger logger, string admin, string partner, string slug);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Admin} renamed partner {OldName} to {NewName}")]
    private static partial void LogPartnerRenamed(ILogger logger, string admin, string oldName, string newName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Admin} created user {Email} as {Role}")]
    private static partial void LogUserCreated(ILogger logger, string admin, string email, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Admin} set {Email} to role {Role}, partner {Partner}")]
    private static partial void LogUserAssigned(ILogger logger, string admin, string email, string role, string partner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Admin} disabled {Email}")]
    private static partial void LogUserDisabled(ILogger logger, string admin, string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Admin} enabled {Email}")]
    private static partial void LogUserEnabled(ILogger logger, string admin, string email);

    // The new password is never part of a log message.
    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Admin} reset the password of {Email}")]
    private static partial void LogPasswordReset(ILogger logger, string admin, string email);
}

using Microsoft.AspNetCore.Identity;

namespace FTLPortal.Infrastructure.Identity;

/// <summary>
/// Changes to an account that must end its sessions: each one updates the security stamp, which every cookie and
/// circuit re-checks within a minute (the portal's SecurityStampValidator interval).
/// </summary>
public sealed class PortalUserAccess(UserManager<PortalUser> users)
{
    /// <summary>Signs the user out everywhere (all browsers, all tabs): their cookies stop validating.</summary>
    public async Task EndSessionsAsync(PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Check(await users.UpdateSecurityStampAsync(user), "update the security stamp");
    }

    /// <summary>Locks the account with no end date and ends its sessions.</summary>
    public async Task DisableAsync(PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Check(await users.SetLockoutEnabledAsync(user, true), "enable lockout");
        Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue), "lock the account");
        await EndSessionsAsync(user);
    }

    /// <summary>Replaces the user's roles and ends its sessions, so no cookie keeps the old roles.</summary>
    public async Task SetRolesAsync(PortalUser user, IReadOnlyCollection<string> roles)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(roles);
        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current.Except(roles, StringComparer.Ordinal)), "remove roles");
        Check(await users.AddToRolesAsync(user, roles.Except(current, StringComparer.Ordinal)), "add roles");
        await EndSessionsAsync(user);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}

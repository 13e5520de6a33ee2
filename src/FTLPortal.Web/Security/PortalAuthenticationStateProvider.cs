using System.Security.Claims;
using FTLPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FTLPortal.Web.Security;

/// <summary>
/// Re-checks a live circuit's user every <see cref="SessionValidation.Interval"/>: when the user signed out (which
/// changes the security stamp), changed password, was disabled or changed role, the circuit's state becomes anonymous
/// (so authorized views stop showing) and the browser is sent to the sign-in page with a full load, which ends the
/// circuit: no further event of the old page runs in that user's name.
/// </summary>
public sealed class PortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> identityOptions,
    NavigationManager navigation) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => SessionValidation.Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (await IsStillValidAsync(authenticationState.User))
        {
            return true;
        }

        try
        {
            navigation.NavigateTo("/account/signin", forceLoad: true);
        }
        catch (InvalidOperationException)
        {
            // No interactive circuit (the request already ended): the anonymous state is all there is to set.
        }

        return false;
    }

    /// <summary>True while the user exists, is not locked out and carries the security stamp it had when it signed in.</summary>
    internal async Task<bool> IsStillValidAsync(ClaimsPrincipal principal)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.GetUserAsync(principal) is not { } user || await users.IsLockedOutAsync(user))
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var stamp = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp is not null && stamp == await users.GetSecurityStampAsync(user);
    }
}

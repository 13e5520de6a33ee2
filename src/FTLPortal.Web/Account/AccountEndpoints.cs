using FTLPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FTLPortal.Web.Account;

/// <summary>Sign-out: a POST with an antiforgery token, so a link on another site cannot sign a user out. It ends the user's sessions everywhere.</summary>
public static class AccountEndpoints
{
    public const string SignOutPath = "/account/signout";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // The [FromForm] parameter makes minimal APIs validate the antiforgery token.
        endpoints.MapPost(SignOutPath, async (HttpContext context, SignInManager<PortalUser> signInManager, PortalUserAccess access, [FromForm] string? returnUrl) =>
            {
                // A new security stamp kills every copy of the cookie (other tabs, a stolen copy) at its next
                // validation, and the circuits of open pages at their next revalidation.
                if (await signInManager.UserManager.GetUserAsync(context.User) is { } user)
                {
                    await access.EndSessionsAsync(user);
                }

                await signInManager.SignOutAsync();
                return TypedResults.LocalRedirect("/account/signin");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }
}

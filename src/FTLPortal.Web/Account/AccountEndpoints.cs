using FTLPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FTLPortal.Web.Account;

/// <summary>Sign-out: a POST with an antiforgery token, so a link on another site cannot sign a user out.</summary>
public static class AccountEndpoints
{
    public const string SignOutPath = "/account/signout";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // The [FromForm] parameter makes minimal APIs validate the antiforgery token.
        endpoints.MapPost(SignOutPath, async (SignInManager<PortalUser> signInManager, [FromForm] string? returnUrl) =>
            {
                await signInManager.SignOutAsync();
                return TypedResults.LocalRedirect("/account/signin");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }
}

using System.Security.Claims;
using FTLPortal.Core.Administration;
using FTLPortal.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FTLPortal.Web.Api;

/// <summary><c>/api/admin</c>: the admin console's partners and users, for Admin only (403 for other roles, 401 anonymous).</summary>
internal static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin").WithTags("Administration").RequireAuthorization(PortalPolicies.IsAdmin);
        group.MapGet("/partners", ListPartnersAsync).WithName("ListPartners");
        group.MapPost("/partners", CreatePartnerAsync).WithName("CreatePartner");
        group.MapGet("/users", ListUsersAsync).WithName("ListUsers");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<PartnerRow>>> ListPartnersAsync(ClaimsPrincipal principal, IPortalAdministration administration, CancellationToken ct) =>
        TypedResults.Ok(await administration.ListPartnersAsync(principal.PortalUser(), ct));

    private static async Task<Ok<IReadOnlyList<UserRow>>> ListUsersAsync(ClaimsPrincipal principal, IPortalAdministration administration, CancellationToken ct) =>
        TypedResults.Ok(await administration.ListUsersAsync(principal.PortalUser(), ct));

    private static async Task<Results<Created<PartnerRow>, ProblemHttpResult>> CreatePartnerAsync(
        NewPartnerBody body, ClaimsPrincipal principal, IPortalAdministration administration, CancellationToken ct)
    {
        var result = await administration.CreatePartnerAsync(principal.PortalUser(), body.Name, ct);
        return result.Value is { } partner
            ? TypedResults.Created($"/api/admin/partners/{partner.Id}", partner)
            : ApiResults.BadRequest(result.Error);
    }
}

using System.Security.Claims;
using FTLPortal.Core.Agents;
using FTLPortal.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FTLPortal.Web.Api;

/// <summary>
/// <c>/api/partners/{partnerId}/agent-keys</c>: a partner's keys for its remote agent, for its own partner admin and admins
/// (403 for other roles, 404 for another partner). The secret is in the creation answer only.
/// </summary>
internal static class AgentKeyEndpoints
{
    public static RouteGroupBuilder MapAgentKeyEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/partners/{partnerId:guid}/agent-keys").WithTags("Agent keys").RequireAuthorization(PortalPolicies.CanManageDomains);
        group.MapGet("/", ListAsync).WithName("ListAgentKeys");
        group.MapPost("/", CreateAsync).WithName("CreateAgentKey");
        group.MapPost("/{keyId:guid}/revoke", RevokeAsync).WithName("RevokeAgentKey");
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<AgentKeyRow>>, ProblemHttpResult>> ListAsync(
        Guid partnerId, ClaimsPrincipal principal, IAgentKeyService keys, CancellationToken ct) =>
        await keys.ListAsync(principal.PortalUser(), partnerId, ct) is { Value: { } rows } ? TypedResults.Ok(rows) : ApiResults.NotFound();

    private static async Task<Results<Created<IssuedAgentKey>, ProblemHttpResult>> CreateAsync(
        Guid partnerId, NewAgentKeyBody body, ClaimsPrincipal principal, IAgentKeyService keys, CancellationToken ct)
    {
        var result = await keys.CreateAsync(principal.PortalUser(), partnerId, body.Name, ct);
        if (result.Value is { } issued)
        {
            return TypedResults.Created($"/api/partners/{partnerId}/agent-keys/{issued.Key.Id}", issued);
        }

        return result.NotFound ? ApiResults.NotFound() : ApiResults.BadRequest(result.Error);
    }

    private static async Task<Results<Ok<AgentKeyRow>, ProblemHttpResult>> RevokeAsync(
        Guid partnerId, Guid keyId, ClaimsPrincipal principal, IAgentKeyService keys, CancellationToken ct) =>
        await keys.RevokeAsync(principal.PortalUser(), partnerId, keyId, ct) is { Value: { } row } ? TypedResults.Ok(row) : ApiResults.NotFound();
}

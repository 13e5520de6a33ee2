using System.Security.Claims;
using FTLPortal.Core.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FTLPortal.Web.Api;

/// <summary><c>/api/engines</c>: the training engines a fine-tuning job (or one of its participants) may name.</summary>
internal static class EngineEndpoints
{
    public static RouteGroupBuilder MapEngineEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/engines").WithTags("Engines").MapGet("/", ListAsync).WithName("ListEngines");
        return api;
    }

    /// <summary>This portal's engines (name, version) and, per partner the caller may see, the engines its agent offers.</summary>
    private static async Task<Ok<EnginesView>> ListAsync(ClaimsPrincipal principal, IEngineChoices engines, CancellationToken ct) =>
        TypedResults.Ok(new EnginesView(engines.Available, await engines.OffersAsync(principal.PortalUser(), ct)));
}

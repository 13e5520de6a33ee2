using System.Security.Claims;
using System.Text;
using FTLPortal.Core.Domains;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FTLPortal.Web.Api;

/// <summary><c>/api/domains</c>: partners' datasets as the coordinator knows them (metadata and summaries only).</summary>
internal static class DomainEndpoints
{
    public static RouteGroupBuilder MapDomainEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/domains").WithTags("Domains");
        group.MapGet("/", ListAsync).WithName("ListDomains");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetDomain");
        group.MapGet("/{id:guid}/summary.json", DownloadSummaryAsync).WithName("DownloadDomainSummary");
        group.MapPost("/", RegisterAsync)
            .WithName("RegisterDomain")
            .Accepts<IFormFile>("multipart/form-data")
            // Multipart is what a cross-site form can send: ApiForgeryGuard requires the X-FTL-Request header instead
            // of an antiforgery token (API clients have no form to take a token from).
            .DisableAntiforgery();
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteDomain");
        group.MapPut("/{id:guid}/consent", SetConsentAsync).WithName("SetDomainConsent");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<DomainListItem>>> ListAsync(ClaimsPrincipal principal, IDomainService domains, CancellationToken ct) =>
        TypedResults.Ok(await domains.ListAsync(principal.PortalUser(), ct));

    private static async Task<Results<Ok<DomainDetails>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal principal, IDomainService domains, CancellationToken ct) =>
        await domains.FindAsync(principal.PortalUser(), id, ct) is { } domain ? TypedResults.Ok(DomainDetails.From(domain)) : ApiResults.NotFound();

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadSummaryAsync(Guid id, ClaimsPrincipal principal, IDomainService domains, CancellationToken ct)
    {
        if (await domains.FindAsync(principal.PortalUser(), id, ct) is not { } domain)
        {
            return ApiResults.NotFound();
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(domain.SummaryJson), "application/json", $"{domain.Name}.summary.json");
    }

    private static async Task<Results<Created<DomainDetails>, ProblemHttpResult>> RegisterAsync(
        [FromForm] string? partnerId,
        [FromForm] string? name,
        [FromForm] string? labelColumn,
        [FromForm] string? oneHotCategoricals,
        [FromForm] string? oneHotColumns,
        IFormFile? file,
        ClaimsPrincipal principal,
        IDomainService domains,
        CancellationToken ct)
    {
        var user = principal.PortalUser();
        Guid partner;
        if (!string.IsNullOrWhiteSpace(partnerId))
        {
            if (!Guid.TryParse(partnerId, out partner))
            {
                return ApiResults.BadRequest($"'{partnerId}' is not a partner id.");
            }
        }
        else if (user.PartnerId is { } own)
        {
            partner = own;
        }
        else
        {
            return ApiResults.BadRequest("Choose the partner that owns the domain (partnerId).");
        }

        var oneHot = false;
        if (!string.IsNullOrWhiteSpace(oneHotCategoricals) && !bool.TryParse(oneHotCategoricals, out oneHot))
        {
            return ApiResults.BadRequest($"oneHotCategoricals must be 'true' or 'false', not '{oneHotCategoricals}'.");
        }

        if (file is null)
        {
            return ApiResults.BadRequest("Attach the CSV file (form field 'file').");
        }

        if (!user.CanManageDomainsOf(partner))
        {
            return ApiResults.BadRequest("You may only register domains for your own partner.");
        }

        await using var stream = file.OpenReadStream();
        var registration = new DomainRegistration(partner, name ?? "", labelColumn ?? "", file.FileName, user.Email)
        {
            OneHotEncodeCategoricals = oneHot,
            OneHotColumns = (oneHotColumns ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        };
        var result = await domains.RegisterAsync(user, registration, stream, ct);
        return result.Domain is { } domain
            ? TypedResults.Created($"/api/domains/{domain.Id}", DomainDetails.From(domain))
            : ApiResults.BadRequest(result.Error);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, ClaimsPrincipal principal, IDomainService domains, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (await domains.FindAsync(user, id, ct) is not { } domain)
        {
            return ApiResults.NotFound();
        }

        if (!user.CanManageDomainsOf(domain.PartnerId))
        {
            return ApiResults.Forbidden("Only the owning partner's admin can delete this domain.");
        }

        return await domains.DeleteAsync(user, id, ct) ? TypedResults.NoContent() : ApiResults.NotFound();
    }

    private static async Task<Results<Ok<DomainDetails>, ProblemHttpResult>> SetConsentAsync(Guid id, DomainConsent consent, ClaimsPrincipal principal, IDomainService domains, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (await domains.FindAsync(user, id, ct) is null)
        {
            return ApiResults.NotFound();
        }

        if (!await domains.SetConsentAsync(user, id, consent, ct))
        {
            return ApiResults.Forbidden("Only the owning partner's admin can change this domain's consent.");
        }

        return TypedResults.Ok(DomainDetails.From((await domains.FindAsync(user, id, ct))!));
    }
}

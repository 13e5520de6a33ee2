using System.Security.Claims;
using FTLPortal.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FTLPortal.Web.Api;

/// <summary>The API's error shapes: ProblemDetails with the service's message; "not found" also for what the caller may not see.</summary>
internal static class ApiResults
{
    public static ProblemHttpResult BadRequest(string? detail) =>
        TypedResults.Problem(title: "The request was refused.", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>Used both for what does not exist and for what the caller may not see, so the answer reveals nothing.</summary>
    public static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: "Not found.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Not allowed.", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(title: "The upload is too large.", detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static PortalUserContext PortalUser(this ClaimsPrincipal principal) => PortalUserContextFactory.FromPrincipal(principal);
}

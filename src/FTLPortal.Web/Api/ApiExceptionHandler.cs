using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace FTLPortal.Web.Api;

/// <summary>
/// Turns an exception under /api or /hubs (and a bad request anywhere) into problem details. A malformed body (bad JSON, null where a value is
/// required, a missing required field) is the caller's 400 with the JSON reader's message, which names JSON paths, never
/// files. Anything else is a 500 with a trace id only: exception messages can carry source and partner storage paths,
/// so they go to the log and never to the response, in every environment.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // A bad request (unreadable body, missing antiforgery token) is the caller's 400 on any path; other failures are
        // handled here only for the API, pages keep their error page.
        if (exception is not BadHttpRequestException && !PortalApiEndpoints.IsNonBrowserPath(httpContext.Request.Path))
        {
            return false;
        }

        int status;
        string title;
        string? detail = null;
        if (exception is BadHttpRequestException badRequest)
        {
            status = badRequest.StatusCode;
            title = "The request was refused.";
            detail = badRequest.InnerException is JsonException json
                ? $"The JSON body is not valid: {json.Message}"
                : badRequest.Message;
            LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, detail);
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            title = "The portal failed to handle the request.";
            LogFailed(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = null });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, PathString path);
}

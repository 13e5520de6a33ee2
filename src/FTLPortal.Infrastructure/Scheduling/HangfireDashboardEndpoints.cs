using System.Net;
using FTLPortal.Core.Security;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>The Hangfire dashboard behind the portal's own sign-in: read-only unless the user is an Admin.</summary>
public static class HangfireDashboardEndpoints
{
    public const string DefaultPath = "/hangfire";

    private static int _jobLinkRegistered;

    /// <summary>Maps the dashboard at <paramref name="path"/> for users who satisfy <paramref name="policyName"/>.</summary>
    public static IEndpointConventionBuilder MapPortalHangfireDashboard(this IEndpointRouteBuilder endpoints, string policyName, string path = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new DashboardOptions
        {
            DashboardTitle = "FTL Portal · jobs",
            AppPath = "/ops",
            DisplayStorageConnectionString = false,
            // Ops watch; only Admin may requeue or delete from here (cancelling belongs to the portal, which records it).
            IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(PortalRoles.Admin),
        };
        return endpoints.MapHangfireDashboardWithAuthorizationPolicy(policyName, path, options, endpoints.ServiceProvider.GetRequiredService<JobStorage>());
    }

    /// <summary>
    /// A link from each Hangfire job's page back to its portal job. Hangfire keeps job-details renderers in a static list,
    /// so this is added once per process whatever the number of hosts.
    /// </summary>
    internal static void RegisterJobLinkOnce()
    {
        if (Interlocked.Exchange(ref _jobLinkRegistered, 1) == 1)
        {
            return;
        }

        GlobalConfiguration.Configuration.UseJobDetailsRenderer(10, dto =>
        {
            if (dto.JobDetails?.Properties is not { } properties
                || !properties.TryGetValue(PortalJobFilter.PortalJobIdParameter, out var raw)
                || !Guid.TryParse(raw?.Trim('"'), out var portalJobId))
            {
                return new NonEscapedString("");
            }

            var href = WebUtility.HtmlEncode($"/jobs/{portalJobId}");
            return new NonEscapedString($"<div class=\"alert alert-info\">Portal job <a href=\"{href}\">{portalJobId}</a>: rounds, partners and the model card are on its page in FTL Portal.</div>");
        });
    }
}

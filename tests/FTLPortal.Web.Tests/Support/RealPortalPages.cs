using System.Security.Claims;
using Bunit;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.ModelCards;
using FTLPortal.Web.Jobs;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Support;

/// <summary>
/// Renders a page with bUnit over a running <see cref="PortalFactory"/>'s real job, evaluation, model card and domain services,
/// so a test can compare what the page shows with what the API and the card say about the same job.
/// </summary>
public static class RealPortalPages
{
    public static BunitContext ContextOver(PortalFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var context = new BunitContext();
        // Registered before the test services, whose TryAdd then keeps these.
        context.Services.AddSingleton(factory.Services.GetRequiredService<IJobService>());
        context.Services.AddSingleton(factory.Services.GetRequiredService<IModelCardService>());
        context.Services.AddSingleton(factory.Services.GetRequiredService<IJobEvaluationService>());
        context.Services.AddSingleton(factory.Services.GetRequiredService<IDomainService>());
        context.AddTestServices();
        context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return context;
    }

    public static IRenderedComponent<JobDetailPage> JobDetail(BunitContext context, ClaimsPrincipal user, Guid jobId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var page = context.Render<JobDetailPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))).Add(x => x.JobId, jobId));
        // A generous bound for the real services under load; no timing is asserted.
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#model-card")), TimeSpan.FromSeconds(60));
        return page;
    }
}

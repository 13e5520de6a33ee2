using Bunit;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Web.Common;
using FTLPortal.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace FTLPortal.Web.Tests.Support;

/// <summary>What every component test needs: MudBlazor's services, loose JS interop, the portal's policies and in-memory Core services.</summary>
public static class TestContextExtensions
{
    public static void AddTestServices(this BunitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        // The real policies instead of bUnit's placeholder: menus and pages are tested against what the portal enforces.
        context.Services.RemoveAll<IAuthorizationService>();
        context.Services.AddAuthorizationCore(PortalPolicies.Add);
        context.Services.AddScoped<BrowserTimeZone>();
        context.Services.TryAddSingleton<FakeJobNotifier>();
        context.Services.TryAddSingleton<IJobNotifier>(sp => sp.GetRequiredService<FakeJobNotifier>());
        context.Services.TryAddSingleton<FakeJobService>();
        context.Services.TryAddSingleton<IJobService>(sp => sp.GetRequiredService<FakeJobService>());
        context.Services.TryAddSingleton<IModelCardService, NoModelCards>();
        context.Services.TryAddSingleton<FakeJobEvaluationService>();
        context.Services.TryAddSingleton<FTLPortal.Core.Jobs.Evaluation.IJobEvaluationService>(sp => sp.GetRequiredService<FakeJobEvaluationService>());
    }
}

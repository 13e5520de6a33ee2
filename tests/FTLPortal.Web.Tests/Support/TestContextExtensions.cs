using Bunit;
using FTLPortal.Core.Administration;
using FTLPortal.Core.Agents;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Operations;
using FTLPortal.Core.Security;
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
        context.Services.TryAddSingleton<FakeEngineChoices>();
        context.Services.TryAddSingleton<IEngineChoices>(sp => sp.GetRequiredService<FakeEngineChoices>());
        context.Services.TryAddSingleton<IModelCardService, NoModelCards>();
        context.Services.TryAddSingleton<FakeJobEvaluationService>();
        context.Services.TryAddSingleton<FTLPortal.Core.Jobs.Evaluation.IJobEvaluationService>(sp => sp.GetRequiredService<FakeJobEvaluationService>());
        context.Services.TryAddSingleton<FakeDomainService>();
        context.Services.TryAddSingleton<IDomainService>(sp => sp.GetRequiredService<FakeDomainService>());
        context.Services.TryAddSingleton<FakeBaseModelService>();
        context.Services.TryAddSingleton<IBaseModelService>(sp => sp.GetRequiredService<FakeBaseModelService>());
        context.Services.TryAddSingleton<FakeBaseModelImportService>();
        context.Services.TryAddSingleton<IBaseModelImportService>(sp => sp.GetRequiredService<FakeBaseModelImportService>());
        // Small, so a test can exceed the import cap without a large file.
        context.Services.TryAddSingleton(new BaseModelImportLimits(64 * 1024));
        context.Services.TryAddSingleton<FakePasswordSignIn>();
        context.Services.TryAddSingleton<IPasswordSignIn>(sp => sp.GetRequiredService<FakePasswordSignIn>());
        context.Services.TryAddSingleton<FakeOpsOverview>();
        context.Services.TryAddSingleton<IOpsOverview>(sp => sp.GetRequiredService<FakeOpsOverview>());
        // Smaller than the portal's 10 MB default, so a test can exceed it without a large file.
        context.Services.TryAddSingleton(new DomainUploadLimits(1024 * 1024));
        context.Services.TryAddSingleton<FakePortalAdministration>();
        context.Services.TryAddSingleton<IPortalAdministration>(sp => sp.GetRequiredService<FakePortalAdministration>());
        context.Services.TryAddSingleton<FakeAgentKeyService>();
        context.Services.TryAddSingleton<IAgentKeyService>(sp => sp.GetRequiredService<FakeAgentKeyService>());
    }
}

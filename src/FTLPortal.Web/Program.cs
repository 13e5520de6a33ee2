using FTLPortal.Infrastructure;
using FTLPortal.Infrastructure.Scheduling;
using FTLPortal.Infrastructure.Seeding;
using FTLPortal.Web;
using FTLPortal.Web.Account;
using FTLPortal.Web.Api;
using FTLPortal.Web.Components;
using FTLPortal.Web.Hosting;
using FTLPortal.Web.Hubs;
using FTLPortal.Web.Security;

var builder = WebApplication.CreateBuilder(PortalWebRoot.CreateOptions(args));

// Package assets (_content/MudBlazor/...) are served from the NuGet cache when running from a
// build, in any environment; a published app has no manifest for this and serves its wwwroot/.
builder.WebHost.UseStaticWebAssets();
PortalUrls.UseDefaultWhenUnconfigured(builder);

builder.AddInfrastructure();
builder.Services.AddPortalWeb(builder.Configuration);

var app = builder.Build();

// First: the client's scheme and address from a known proxy, then headers on every answer.
app.UseForwardedHeaders();
app.UseMiddleware<FTLPortal.Web.Security.SecurityHeaders>();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}

// Inside the page error handler, so API errors are answered as problem details before it re-executes /error.
app.UsePortalApiErrors();
app.UsePortalNotFoundPage();

// Before routing and authentication: the portal's own files (styles, logo) are public (the sign-in page
// needs them), and once routing has matched an endpoint (MapStaticAssets adds a catch-all file route
// from a build) the static file middleware would step aside.
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<FTLPortal.Web.Security.ApiForgeryGuard>();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapAccountEndpoints();
app.MapPortalApi();
app.MapPortalHubs();
// Hangfire's dashboard behind the portal's sign-in: Ops (read-only) and Admin.
app.MapPortalHangfireDashboard(PortalPolicies.CanOperate);
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

// Migrates the database; with Portal:SeedDemo also the demo partners, their users and domains.
await DemoFederationSeeder.InitializeAsync(app.Services);
StartupBanner.PrintWhenStarted(app);

await app.RunAsync();

/// <summary>Entry point; public so WebApplicationFactory can reach it from the test projects.</summary>
public partial class Program;

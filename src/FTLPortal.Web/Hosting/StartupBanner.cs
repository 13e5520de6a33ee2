using System.Globalization;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FTLPortal.Web.Hosting;

/// <summary>
/// Prints where the portal listens and how to sign in. Written to the console, not the log: a
/// generated demo password appears here once and must not end up in log files.
/// </summary>
public static partial class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            try
            {
                Console.Out.Write(Compose(app.Services));
                Console.Out.Flush();
            }
            catch (InvalidOperationException ex)
            {
                LogBannerFailed(app.Logger, ex);
            }
        });
    }

    internal static string Compose(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var text = new System.Text.StringBuilder();
        text.AppendLine();
        text.AppendLine("FTL Portal is running.");
        foreach (var address in addresses)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Open {address}");
        }

        if (!services.GetRequiredService<IOptions<PortalOptions>>().Value.SeedDemo)
        {
            return text.AppendLine().ToString();
        }

        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().Users
            .Where(u => u.Email != null && u.Email.EndsWith("@" + DemoUserSeeder.EmailDomain))
            .OrderBy(u => u.Email)
            .Select(u => u.Email!)
            .ToList();
        text.AppendLine("  Demo users: " + (users.Count == 0 ? "(none yet)" : string.Join(", ", users)));
        var password = services.GetRequiredService<DemoPasswordStore>();
        text.AppendLine(password.Source switch
        {
            DemoPasswordSource.Generated => $"  Password (generated, shown once): {password.Password}   (kept in {password.FilePath})",
            DemoPasswordSource.StoredFile => $"  Password: generated at first start, kept in {password.FilePath}",
            _ => $"  Password: the configured {DemoPasswordStore.ConfigurationKey} (environment Demo__Password)",
        });
        return text.AppendLine().ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not print the startup banner")]
    private static partial void LogBannerFailed(ILogger logger, Exception exception);
}

using System.Net;
using AngleSharp.Html.Parser;
using FTLPortal.Core.Partners;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Support;

/// <summary>
/// The portal in memory with its own temporary data folder and a known demo password. Use one per
/// test class (IClassFixture) or per test; sign in with <see cref="CreateSignedInClientAsync"/>.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Portal-Test-Passw0rd";

    public const string Admin = "admin@ftl.local";
    public const string Ops = "ops@ftl.local";
    public const string Scientist = "scientist@ftl.local";

    /// <summary>Fresh per factory; deleted on dispose.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "ftl-web-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Portal:SeedDemo. With false the database is still created, but nothing is seeded: call <see cref="SeedUsersAsync"/>.</summary>
    public bool SeedDemo { get; init; } = true;

    /// <summary>Portal:SignInAttemptsPerMinute (the per-address rate limit on the sign-in form).</summary>
    public int SignInAttemptsPerMinute { get; init; } = 10_000;

    /// <summary>More configuration for the app under test (e.g. a small Portal:MaxModelImportBytes).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>ASPNETCORE_ENVIRONMENT of the app under test.</summary>
    public string EnvironmentName { get; init; } = "Testing";

    /// <summary>Service changes applied after the app's own (ConfigureTestServices), for tests that need a factory of their own.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        builder.UseSetting("Portal:SeedDemo", SeedDemo ? "true" : "false");
        builder.UseSetting("Demo:Password", DemoPassword);
        // Every test client signs in from the same (unknown) address; the limit itself is tested with its own factory.
        builder.UseSetting("Portal:SignInAttemptsPerMinute", SignInAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests can assert them.</summary>
    public HttpClient CreateAnonymousClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real sign-in form (antiforgery token included); the client keeps the cookie.</summary>
    public async Task<HttpClient> CreateSignedInClientAsync(string email, string password = DemoPassword)
    {
        var client = CreateAnonymousClient();
        using var response = await PostSignInAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var body = await response.Content.ReadAsStringAsync();
            var error = new HtmlParser().ParseDocument(body).QuerySelector("#signin-error")?.TextContent.Trim();
            client.Dispose();
            throw new InvalidOperationException($"Sign-in as {email} failed with {(int)response.StatusCode}: {error ?? "(no error shown)"}");
        }

        return client;
    }

    /// <summary>Loads the sign-in form and posts it; returns the raw response (a redirect on success).</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var path = returnUrl is null ? "/account/signin" : $"/account/signin?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var fields = await ReadFormFieldsAsync(client, path, "form[method=post]");
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(path, content);
    }

    /// <summary>The named inputs of the first form matching <paramref name="formSelector"/> on a page (hidden antiforgery fields included).</summary>
    public static async Task<Dictionary<string, string>> ReadFormFieldsAsync(HttpClient client, string path, string formSelector)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var page = await client.GetAsync(path);
        page.EnsureSuccessStatusCode();
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        var form = document.QuerySelector(formSelector) ?? throw new InvalidOperationException($"No form '{formSelector}' on {path}");
        return form.QuerySelectorAll("input[name]")
            .GroupBy(i => i.GetAttribute("name")!)
            .ToDictionary(g => g.Key, g => g.First().GetAttribute("value") ?? "");
    }

    /// <summary>Adds partners to the database (for partner admins and partner-scoped tests).</summary>
    public async Task<IReadOnlyList<Partner>> AddPartnersAsync(params (string Slug, string Name)[] partners)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await using (db)
        {
            var added = partners.Select(p => new Partner { Slug = p.Slug, Name = p.Name }).ToList();
            db.Partners.AddRange(added);
            await db.SaveChangesAsync();
            return added;
        }
    }

    /// <summary>Runs the demo user seeder with <see cref="DemoPassword"/> for the given partners.</summary>
    public async Task SeedUsersAsync(IReadOnlyList<Partner> partners)
    {
        ArgumentNullException.ThrowIfNull(partners);
        await using var scope = Services.CreateAsyncScope();
        await DemoUserSeeder.SeedAsync(scope.ServiceProvider, partners.Select(p => (p.Id, p.Slug, p.Name)).ToList(), DemoPassword);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // SQLite keeps pooled connections (and so the file) open until cleared.
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp folder must not fail a test run.
            }
        }
    }
}

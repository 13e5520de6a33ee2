using System.Net;
using System.Text.Json;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Security;

/// <summary>Finding 13 and header hardening: the Host header is not trusted, forwarded headers only from known proxies.</summary>
public sealed class HostAndHeaderTests
{
    [Fact]
    public async Task ForeignHost_IsRefused_WhenAllowedHostsIsTheDefault()
    {
        using var portal = new PortalFactory { SeedDemo = false };
        using var client = portal.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/jobs", UriKind.Relative));
        request.Headers.Host = "evil.example";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("evil.example", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInRedirect_IsRelative_WhenAnyHostIsAllowed()
    {
        using var portal = AnyHost(new PortalFactory { SeedDemo = false });
        using var client = portal.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/jobs", UriKind.Relative));
        request.Headers.Host = "evil.example";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/account/signin", location, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiServers_DoNotNameTheRequestHost_WhenAnyHostIsAllowed()
    {
        using var portal = new PortalFactory();
        using var anyHost = AnyHost(portal);
        using var client = anyHost.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        using (var signIn = await PortalFactory.PostSignInAsync(client, PortalFactory.Scientist, PortalFactory.DemoPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/openapi/v1.json", UriKind.Relative));
        request.Headers.Host = "evil.example";
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil.example", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        Assert.True(!document.RootElement.TryGetProperty("servers", out var servers) || servers.GetArrayLength() == 0);
    }

    [Fact]
    public async Task Responses_CarryNosniffAndAContentSecurityPolicy()
    {
        using var portal = new PortalFactory { SeedDemo = false };
        using var client = portal.CreateAnonymousClient();

        using var response = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_IsSent_OutsideDevelopmentOverHttps()
    {
        using var portal = AnyHost(new PortalFactory { SeedDemo = false, EnvironmentName = "Production" });
        using var client = portal.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("https://portal.example/") });

        using var response = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));

        Assert.Contains("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("203.0.113.9", false)]
    public async Task AuthCookie_IsSecure_OnlyWhenAKnownProxySaysHttps(string connectionAddress, bool secure)
    {
        using var portal = new PortalFactory();
        using var behindProxy = portal.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new RemoteAddressStartupFilter(IPAddress.Parse(connectionAddress)))));
        using var client = behindProxy.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");

        var cookies = new List<string>();
        using (var form = await client.GetAsync(new Uri("/account/signin", UriKind.Relative)))
        {
            cookies.AddRange(form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
            var fields = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await form.Content.ReadAsStringAsync())
                .QuerySelector("form[method=post]")!.QuerySelectorAll("input[name]")
                .ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
            fields["Input.Email"] = PortalFactory.Ops;
            fields["Input.Password"] = PortalFactory.DemoPassword;
            using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/account/signin", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
            post.Headers.Add("Cookie", string.Join("; ", cookies));
            using var signedIn = await client.SendAsync(post);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            var auth = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ftl.auth=", StringComparison.Ordinal));
            Assert.Equal(secure, auth.Contains("secure", StringComparison.OrdinalIgnoreCase));
        }
    }

    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> AnyHost(PortalFactory portal) =>
        portal.WithWebHostBuilder(b => b.UseSetting("AllowedHosts", "*"));
}

using System.Net;
using AngleSharp.Html.Parser;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Account;

public sealed class SignInTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/", "%2F")]
    [InlineData("/domains", "%2Fdomains")]
    [InlineData("/jobs", "%2Fjobs")]
    public async Task Get_Unauthenticated_RedirectsToSignInWithReturnUrl(string path, string encodedReturnUrl)
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/account/signin?ReturnUrl={encodedReturnUrl}", LocalTarget(response));
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndSetsNoAuthCookie()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await PortalFactory.PostSignInAsync(client, PortalFactory.Scientist, "wrong-Passw0rd");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("Incorrect email or password.", document.QuerySelector("#signin-error")?.TextContent.Trim());
        Assert.DoesNotContain(CookieHeaders(response), c => c.StartsWith("ftl.auth=", StringComparison.Ordinal));
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task SignIn_RightPassword_ReachesHomeWithUserName()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await PortalFactory.PostSignInAsync(client, PortalFactory.Scientist, PortalFactory.DemoPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", LocalTarget(response));
        Assert.Contains(CookieHeaders(response), c => c.StartsWith("ftl.auth=", StringComparison.Ordinal));
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var document = new HtmlParser().ParseDocument(await home.Content.ReadAsStringAsync());
        Assert.Equal("Data Scientist", document.QuerySelector("#current-user")?.TextContent.Trim());
        Assert.Equal("Welcome, Data Scientist", document.QuerySelector("#welcome")?.TextContent.Trim());
    }

    [Fact]
    public async Task SignIn_WithLocalReturnUrl_RedirectsThere()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await PortalFactory.PostSignInAsync(client, PortalFactory.Ops, PortalFactory.DemoPassword, returnUrl: "/ops?tab=triggers");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ops?tab=triggers", LocalTarget(response));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task SignIn_WithForeignReturnUrl_GoesHome(string returnUrl)
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await PortalFactory.PostSignInAsync(client, PortalFactory.Ops, PortalFactory.DemoPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", LocalTarget(response));
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRejected()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Admin);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>());

        using var response = await client.PostAsync("/account/signout", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task SignOut_FromTheHeaderForm_EndsTheSession()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Admin);
        var fields = await PortalFactory.ReadFormFieldsAsync(client, "/", "form.ftl-signout");
        using var content = new FormUrlEncodedContent(fields);

        using var response = await client.PostAsync("/account/signout", content);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/signin", LocalTarget(response));
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task SignInPage_AndItsAssets_NeedNoUser()
    {
        using var client = factory.CreateAnonymousClient();

        foreach (var path in new[] { "/account/signin", "/css/app.css", "/img/logo.svg", "/_framework/blazor.web.js" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    /// <summary>The redirect target's path and query, after checking it stays on this site.</summary>
    private static string LocalTarget(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException("No Location header");
        if (location.IsAbsoluteUri)
        {
            Assert.Equal("localhost", location.Host);
            return location.PathAndQuery;
        }

        return location.OriginalString;
    }

    private static IEnumerable<string> CookieHeaders(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
}

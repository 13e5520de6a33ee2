using System.Net;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Web.Security;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FTLPortal.Web.Tests.Security;

/// <summary>Finding 5: sign-out, password change, a disabled account and a role change end every session within a minute.</summary>
public sealed class SessionEndTests : IDisposable
{
    private static readonly Uri Jobs = new("/api/jobs", UriKind.Relative);
    private readonly ManualTimeProvider _clock = new();
    private readonly PortalFactory _portal = new();
    private readonly WebApplicationFactory<Program> _factory;

    public SessionEndTests() =>
        _factory = _portal.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));

    [Fact]
    public async Task SignOut_KillsACopyOfTheOldCookie_WithinTheValidationInterval()
    {
        var (client, jar) = await SignInAsync(PortalFactory.Ops);
        using var copy = CopyOfSession(jar);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync(Jobs)).StatusCode);
        var fields = await PortalFactory.ReadFormFieldsAsync(client, "/", "form.ftl-signout");
        using (var signOut = await client.PostAsync(new Uri("/account/signout", UriKind.Relative), new FormUrlEncodedContent(fields)))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        _clock.Advance(SessionValidation.Interval + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync(Jobs)).StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task PasswordChange_EndsTheSession_WithinTheValidationInterval()
    {
        var (client, _) = await SignInAsync(PortalFactory.Scientist);
        await ChangeUserAsync(PortalFactory.Scientist, (users, _, user) => users.ChangePasswordAsync(user, PortalFactory.DemoPassword, "Another-Passw0rd-123"));

        _clock.Advance(SessionValidation.Interval + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Jobs)).StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task DisabledUser_LosesTheSessionAndCannotSignIn_WithinTheValidationInterval()
    {
        var (client, _) = await SignInAsync("northwind-admin@ftl.local");
        await ChangeUserAsync("northwind-admin@ftl.local", (_, access, user) => access.DisableAsync(user));

        _clock.Advance(SessionValidation.Interval + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Jobs)).StatusCode);
        using var fresh = _factory.CreateClient(new() { AllowAutoRedirect = false });
        using var again = await PortalFactory.PostSignInAsync(fresh, "northwind-admin@ftl.local", PortalFactory.DemoPassword);
        Assert.NotEqual(HttpStatusCode.Redirect, again.StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task RoleChange_EndsTheSession_WithinTheValidationInterval()
    {
        var (client, _) = await SignInAsync(PortalFactory.Admin);
        await ChangeUserAsync(PortalFactory.Admin, (_, access, user) => access.SetRolesAsync(user, ["Ops"]));

        _clock.Advance(SessionValidation.Interval + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Jobs)).StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task Session_StaysValid_WhenNothingChanged()
    {
        var (client, _) = await SignInAsync("contoso-admin@ftl.local");

        _clock.Advance(SessionValidation.Interval + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Jobs)).StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task CircuitRevalidation_RejectsTheUser_WhenSecurityStampChanged()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync("fabrikam-admin@ftl.local"))!;
        var principal = await services.GetRequiredService<SignInManager<PortalUser>>().CreateUserPrincipalAsync(user);
        var provider = new PortalAuthenticationStateProvider(
            NullLoggerFactory.Instance, services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<IOptions<IdentityOptions>>(), new FixedNavigationManager());
        Assert.True(await provider.IsStillValidAsync(principal));

        await services.GetRequiredService<PortalUserAccess>().EndSessionsAsync(user);

        Assert.False(await provider.IsStillValidAsync(principal));
        ((IDisposable)provider).Dispose();
    }

    public void Dispose()
    {
        _factory.Dispose();
        _portal.Dispose();
    }

    private async Task<(HttpClient Client, CookieContainer Jar)> SignInAsync(string email)
    {
        var jar = new CookieContainer();
        var client = _factory.CreateDefaultClient(new CookieContainerHandler(jar));
        using var response = await PortalFactory.PostSignInAsync(client, email, PortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, jar);
    }

    /// <summary>Another client holding only a copy of the auth cookie, as a second tab or a stolen cookie would.</summary>
    private HttpClient CopyOfSession(CookieContainer jar)
    {
        var copy = new CookieContainer();
        var auth = jar.GetCookies(_factory.Server.BaseAddress)["ftl.auth"] ?? throw new InvalidOperationException("no auth cookie");
        copy.Add(_factory.Server.BaseAddress, new Cookie(auth.Name, auth.Value, "/"));
        return _factory.CreateDefaultClient(new CookieContainerHandler(copy));
    }

    private async Task ChangeUserAsync(string email, Func<UserManager<PortalUser>, PortalUserAccess, PortalUser, Task> change)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        await change(users, scope.ServiceProvider.GetRequiredService<PortalUserAccess>(), user);
    }

    /// <summary>Satisfies the provider outside a circuit; validation itself never navigates while the user is valid.</summary>
    private sealed class FixedNavigationManager : Microsoft.AspNetCore.Components.NavigationManager
    {
        public FixedNavigationManager() => Initialize("http://localhost/", "http://localhost/");
    }
}

using System.Net;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Web.Tests.Security;

/// <summary>Finding 12: uniform work for unknown emails, per-address throttling instead of account lockout, rate limit, audit log.</summary>
public sealed class SignInHardeningTests : IDisposable
{
    private const string WrongPassword = "Wrong-Passw0rd-Xyz";
    private readonly CountingPasswordHasher _hasher = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly PortalFactory _portal = new();
    private readonly WebApplicationFactory<Program> _factory;

    public SignInHardeningTests() =>
        _factory = _portal.WithWebHostBuilder(b => b
            .ConfigureLogging(l => l.AddProvider(_logs))
            .ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<PortalUser>>(_hasher)));

    [Fact]
    public async Task SignIn_VerifiesAPasswordHash_WhenEmailIsUnknown()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });
        var before = _hasher.Verifications;

        using var response = await PortalFactory.PostSignInAsync(client, "nobody-here@ftl.local", WrongPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Incorrect email or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before + 1, _hasher.Verifications);
    }

    [Fact]
    public async Task SignIn_VerifiesExactlyOneHash_WhenPasswordIsWrongForAKnownEmail()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });
        var before = _hasher.Verifications;

        using var response = await PortalFactory.PostSignInAsync(client, PortalFactory.Ops, WrongPassword);

        Assert.Contains("Incorrect email or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before + 1, _hasher.Verifications);
    }

    [Fact]
    public async Task RepeatedFailures_BlockOnlyThatAddress_AndLeaveTheAccountUnlocked()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            using var failed = await PortalFactory.PostSignInAsync(client, "contoso-admin@ftl.local", WrongPassword);
        }

        using var blocked = await PortalFactory.PostSignInAsync(client, "contoso-admin@ftl.local", PortalFactory.DemoPassword);

        Assert.NotEqual(HttpStatusCode.Redirect, blocked.StatusCode);
        Assert.Contains("locked", await blocked.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync("contoso-admin@ftl.local"))!;
        Assert.False(await users.IsLockedOutAsync(user));
        Assert.Equal(0, await users.GetAccessFailedCountAsync(user));
        var throttle = _factory.Services.GetRequiredService<SignInThrottle>();
        Assert.False(throttle.IsBlocked("contoso-admin@ftl.local", "192.0.2.10"));
    }

    [Fact]
    public async Task FailedSignIn_IsLoggedWithEmailAndReason_WithoutThePassword()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await PortalFactory.PostSignInAsync(client, "fabrikam-admin@ftl.local", WrongPassword);

        var line = Assert.Single(_logs.Lines, l => l.Contains("Sign-in failed for fabrikam-admin@ftl.local", StringComparison.Ordinal));
        Assert.Contains("wrong password", line, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(WrongPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignInPosts_Answer429_WhenOneAddressExceedsTheLimit()
    {
        using var portal = new PortalFactory { SignInAttemptsPerMinute = 3 };
        using var client = portal.CreateClient(new() { AllowAutoRedirect = false });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await PortalFactory.PostSignInAsync(client, "nobody@ftl.local", WrongPassword);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _portal.Dispose();
        _logs.Dispose();
    }
}

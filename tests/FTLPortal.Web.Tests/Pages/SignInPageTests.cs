using Bunit;
using FTLPortal.Core.Security;
using FTLPortal.Web.Account;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Pages;

/// <summary>The sign-in page on Core's <see cref="IPasswordSignIn"/> (no Identity in the page): messages and redirects.</summary>
public sealed class SignInPageTests : PortalComponentTest
{
    private readonly FakePasswordSignIn _signIn;

    public SignInPageTests() => _signIn = Services.GetRequiredService<FakePasswordSignIn>();

    [Theory]
    [InlineData(PasswordSignInOutcome.Failed, "Incorrect email or password.")]
    [InlineData(PasswordSignInOutcome.LockedOut, "This account is locked after too many failed attempts. Try again later.")]
    [InlineData(PasswordSignInOutcome.NotAllowed, "This account may not sign in yet.")]
    public void SignIn_SaysWhyItFailed_AndClearsThePassword(PasswordSignInOutcome outcome, string message)
    {
        _signIn.Outcome = outcome;
        var cut = Render<SignIn>();

        Submit(cut, "scientist@ftl.local", "not-the-password");

        Assert.Equal(message, cut.Find("#signin-error").TextContent);
        Assert.Equal([("scientist@ftl.local", "not-the-password")], _signIn.Attempts);
        Assert.Equal("", cut.Find("#password").GetAttribute("value") ?? "");
    }

    [Fact]
    public void SignIn_GoesToTheLocalReturnUrl_OnSuccess()
    {
        _signIn.Outcome = PasswordSignInOutcome.Succeeded;
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/account/signin?ReturnUrl=%2Fjobs");
        var cut = Render<SignIn>();

        Submit(cut, "scientist@ftl.local", "right-password");

        Assert.EndsWith("/jobs", navigation.Uri, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#signin-error"));
    }

    [Fact]
    public void SignIn_AsksForTheFields_WithoutTryingToSignIn()
    {
        var cut = Render<SignIn>();

        cut.Find("form").Submit();

        Assert.Empty(_signIn.Attempts);
        Assert.Contains("Enter your email address.", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Enter your password.", cut.Markup, StringComparison.Ordinal);
    }

    private static void Submit(IRenderedComponent<SignIn> cut, string email, string password)
    {
        cut.Find("#email").Change(email);
        cut.Find("#password").Change(password);
        cut.Find("form").Submit();
    }
}

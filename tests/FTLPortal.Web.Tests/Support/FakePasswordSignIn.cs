using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Core's sign-in seam with a fixed outcome, recording what the page passed.</summary>
public sealed class FakePasswordSignIn : IPasswordSignIn
{
    public PasswordSignInOutcome Outcome { get; set; } = PasswordSignInOutcome.Failed;

    public List<(string Email, string Password)> Attempts { get; } = [];

    public Task<PasswordSignInOutcome> SignInAsync(string email, string password)
    {
        Attempts.Add((email, password));
        return Task.FromResult(Outcome);
    }
}

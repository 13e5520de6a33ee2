namespace FTLPortal.Core.Security;

/// <summary>Signs a user in with email and password and sets the session cookie on the current response.</summary>
public interface IPasswordSignIn
{
    Task<PasswordSignInOutcome> SignInAsync(string email, string password);
}

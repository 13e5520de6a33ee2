namespace FTLPortal.Core.Administration;

/// <summary>An account and its generated password: shown once to the admin, never stored in clear or logged.</summary>
public sealed record IssuedCredentials(UserRow User, string Password)
{
    /// <summary>Keeps the password out of logs and debugger views that print records.</summary>
    public override string ToString() => $"IssuedCredentials {{ User = {User.Email}, Password = *** }}";
}

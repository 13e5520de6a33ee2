namespace FTLPortal.Core.Domains;

/// <summary>Either the registered domain or the reason nothing was stored.</summary>
public sealed record DomainRegistrationResult(Domain? Domain, string? Error)
{
    public bool Succeeded => Domain is not null;

    public static DomainRegistrationResult Success(Domain domain) => new(domain, null);

    public static DomainRegistrationResult Failure(string error) => new(null, error);
}

namespace FTLPortal.Core.Administration;

/// <summary>Either the outcome of an admin action or the reason nothing was changed.</summary>
public sealed record AdministrationResult<T>(T? Value, string? Error)
    where T : class
{
    public bool Succeeded => Error is null && Value is not null;
}

namespace FTLPortal.Core.Naming;

/// <summary>The outcome of <see cref="NameRule.Check"/>: the name to store (trimmed) or why it is refused.</summary>
public sealed record NameCheck(string? Name, string? Error)
{
    public bool IsValid => Error is null;

    public static NameCheck Valid(string name) => new(name, null);

    public static NameCheck Invalid(string error) => new(null, error);
}

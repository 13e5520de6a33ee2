namespace FTLPortal.Architecture.Tests.Rules;

/// <summary>An assembly name and every assembly below it: "Microsoft.AspNetCore" covers "Microsoft.AspNetCore.Identity".</summary>
public sealed record AssemblyFamily(string Prefix)
{
    public bool Contains(string assemblyName)
    {
        ArgumentNullException.ThrowIfNull(assemblyName);
        return assemblyName == Prefix || assemblyName.StartsWith(Prefix + ".", StringComparison.Ordinal);
    }

    public override string ToString() => Prefix;
}

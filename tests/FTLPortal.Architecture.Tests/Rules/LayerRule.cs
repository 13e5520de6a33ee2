using FTLPortal.Architecture.Tests.Metadata;

namespace FTLPortal.Architecture.Tests.Rules;

/// <summary>
/// An assembly must not depend on the forbidden families, except on the assemblies named as allowed. Checked on the
/// AssemblyRef table (which the compiler fills only from what the code names) and reported per type that names one.
/// </summary>
public sealed record LayerRule(string Subject, IReadOnlyList<AssemblyFamily> Forbidden, IReadOnlyList<string> Allowed)
{
    public bool Forbids(string assemblyName) =>
        !Allowed.Contains(assemblyName, StringComparer.Ordinal) && Forbidden.Any(f => f.Contains(assemblyName));

    public IReadOnlyList<Violation> Check(InspectedAssembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        // The assembly's own types are not a dependency (a rule forbidding "FTLPortal" still lets Learning name itself).
        var violations = assembly.Types
            .SelectMany(t => t.References.Where(r => r.Assembly != assembly.Name && Forbids(r.Assembly)).Select(r => new Violation(t.OuterFullName, t.FullName, r)))
            .ToList();
        // A reference no type explains (assembly-level attributes, forwarded types) still counts.
        violations.AddRange(assembly.AssemblyReferences
            .Where(a => Forbids(a) && violations.All(v => v.Reference.Assembly != a))
            .Select(a => new Violation("(assembly)", "(assembly)", new ReferencedType(a, "(assembly reference)"))));
        return violations;
    }

    public override string ToString() => $"{Subject} must not reference {string.Join(", ", Forbidden)}" + (Allowed.Count > 0 ? $" except {string.Join(", ", Allowed)}" : "");
}

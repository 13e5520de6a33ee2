using FTLPortal.Architecture.Tests.Metadata;

namespace FTLPortal.Architecture.Tests.Rules;

/// <summary>Only types in <paramref name="AllowedNamespace"/> (or below it) may name types of the confined family.</summary>
/// <remarks>Compiler-generated nested types (closures, state machines) count as their outermost type's namespace.</remarks>
public sealed record NamespaceConfinementRule(AssemblyFamily Confined, string AllowedNamespace)
{
    public IReadOnlyList<Violation> Check(InspectedAssembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.Types
            .Where(t => t.Namespace != AllowedNamespace && !t.Namespace.StartsWith(AllowedNamespace + ".", StringComparison.Ordinal))
            .SelectMany(t => t.References.Where(r => Confined.Contains(r.Assembly)).Select(r => new Violation(t.OuterFullName, t.FullName, r)))
            .ToList();
    }
}

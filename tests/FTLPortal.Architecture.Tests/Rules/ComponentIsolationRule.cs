using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using FTLPortal.Architecture.Tests.Metadata;
using Microsoft.AspNetCore.Components;

namespace FTLPortal.Architecture.Tests.Rules;

/// <summary>
/// No Razor component names a type of the forbidden family: not the component type, not its base classes defined in the
/// same assembly, not its nested types (async state machines hold the locals of async methods, display classes the
/// captured variables of lambdas), and not the Razor compiler's type-inference helpers (namespace <c>__Blazor.*</c>).
/// The rule is about direct references: components reach services through Core interfaces and DI; the composition
/// root, endpoints and hubs (not components) may use Infrastructure.
/// </summary>
public sealed record ComponentIsolationRule(AssemblyFamily Forbidden)
{
    private const string RazorInferenceNamespace = "__Blazor";

    public IReadOnlyList<Violation> Check(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var inspected = InspectedAssembly.Load(assembly.Location);
        var violations = new List<Violation>();
        foreach (var component in ComponentTypes(assembly))
        {
            var handle = MetadataTokens.TypeDefinitionHandle(component.MetadataToken);
            var subjects = BaseChain(inspected, handle).SelectMany(h => inspected.Types.Where(t => IsWithin(inspected, t, h)));
            violations.AddRange(subjects.SelectMany(s => s.References.Where(r => Forbidden.Contains(r.Assembly)).Select(r => new Violation(component.FullName!, s.FullName, r))));
        }

        violations.AddRange(inspected.Types
            .Where(t => t.Namespace == RazorInferenceNamespace || t.Namespace.StartsWith(RazorInferenceNamespace + ".", StringComparison.Ordinal))
            .SelectMany(t => t.References.Where(r => Forbidden.Contains(r.Assembly)).Select(r => new Violation(t.OuterFullName, t.FullName, r))));
        return violations.Distinct().ToList();
    }

    /// <summary>Every class of the assembly that is a component (ComponentBase, LayoutComponentBase, or IComponent directly).</summary>
    public static IReadOnlyList<Type> ComponentTypes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetTypes().Where(t => t.IsClass && typeof(IComponent).IsAssignableFrom(t)).ToList();
    }

    private static IEnumerable<TypeDefinitionHandle> BaseChain(InspectedAssembly inspected, TypeDefinitionHandle handle)
    {
        var current = handle;
        while (true)
        {
            yield return current;
            var baseType = inspected[current].BaseType;
            if (baseType.IsNil || baseType.Kind != HandleKind.TypeDefinition)
            {
                // A base from another assembly (ComponentBase, MudComponentBase) is outside the rule.
                yield break;
            }

            current = (TypeDefinitionHandle)baseType;
        }
    }

    private static bool IsWithin(InspectedAssembly inspected, InspectedType type, TypeDefinitionHandle container)
    {
        for (TypeDefinitionHandle? current = type.Handle; current is { } h; current = inspected[h].DeclaringType)
        {
            if (h == container)
            {
                return true;
            }
        }

        return false;
    }
}

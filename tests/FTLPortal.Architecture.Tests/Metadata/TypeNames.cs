using System.Reflection.Metadata;

namespace FTLPortal.Architecture.Tests.Metadata;

/// <summary>Full names and defining assemblies of type definitions and type references of one assembly (cached).</summary>
internal sealed class TypeNames(MetadataReader reader)
{
    private readonly string _self = reader.GetString(reader.GetAssemblyDefinition().Name);
    private readonly Dictionary<TypeDefinitionHandle, ReferencedType> _definitions = [];
    private readonly Dictionary<TypeReferenceHandle, ReferencedType> _references = [];

    public ReferencedType Of(TypeDefinitionHandle handle)
    {
        if (!_definitions.TryGetValue(handle, out var name))
        {
            var type = reader.GetTypeDefinition(handle);
            var simple = reader.GetString(type.Name);
            var declaring = type.GetDeclaringType();
            name = declaring.IsNil
                ? new ReferencedType(_self, Join(reader.GetString(type.Namespace), simple))
                : new ReferencedType(_self, Of(declaring).FullName + "+" + simple);
            _definitions[handle] = name;
        }

        return name;
    }

    public ReferencedType Of(TypeReferenceHandle handle)
    {
        if (!_references.TryGetValue(handle, out var name))
        {
            var type = reader.GetTypeReference(handle);
            var simple = reader.GetString(type.Name);
            var scope = type.ResolutionScope;
            name = scope.Kind switch
            {
                HandleKind.AssemblyReference => new ReferencedType(
                    reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name),
                    Join(reader.GetString(type.Namespace), simple)),
                HandleKind.TypeReference => Of((TypeReferenceHandle)scope) is var outer ? outer with { FullName = outer.FullName + "+" + simple } : default,
                // Module scopes (and a nil scope, resolved through the exported types) name this assembly's own types.
                _ => new ReferencedType(_self, Join(reader.GetString(type.Namespace), simple)),
            };
            _references[handle] = name;
        }

        return name;
    }

    private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
}

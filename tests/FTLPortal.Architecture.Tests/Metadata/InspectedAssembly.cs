using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace FTLPortal.Architecture.Tests.Metadata;

/// <summary>One compiled assembly read with System.Reflection.Metadata: its assembly references and, per type, what it names.</summary>
public sealed class InspectedAssembly
{
    private readonly Dictionary<TypeDefinitionHandle, InspectedType> _byHandle;

    private InspectedAssembly(string name, IReadOnlyList<string> assemblyReferences, IReadOnlyList<InspectedType> types)
    {
        Name = name;
        AssemblyReferences = assemblyReferences;
        Types = types;
        _byHandle = types.ToDictionary(t => t.Handle);
    }

    public string Name { get; }

    /// <summary>The AssemblyRef table: the compiler emits a row only for an assembly whose types the code names.</summary>
    public IReadOnlyList<string> AssemblyReferences { get; }

    public IReadOnlyList<InspectedType> Types { get; }

    public InspectedType this[TypeDefinitionHandle handle] => _byHandle[handle];

    public static InspectedAssembly Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Assembly to inspect not found: {path}. Build the solution in the same configuration first.", path);
        }

        // Read into memory: no file handle stays open on a build output.
        using var pe = new PEReader(ImmutableArray.Create(File.ReadAllBytes(path)));
        var reader = pe.GetMetadataReader();
        var names = new TypeNames(reader);
        var signatures = new SignatureTypeNames(names);
        var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
        var types = reader.TypeDefinitions.Select(h => Inspect(pe, reader, names, signatures, h)).ToList();
        return new InspectedAssembly(reader.GetString(reader.GetAssemblyDefinition().Name), references, types);
    }

    private static InspectedType Inspect(PEReader pe, MetadataReader reader, TypeNames names, SignatureTypeNames signatures, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var found = new HashSet<ReferencedType>();

        void AddAll(ImmutableArray<ReferencedType> list) => found.UnionWith(list);

        void AddEntity(EntityHandle entity)
        {
            switch (entity.Kind)
            {
                case HandleKind.TypeReference:
                    found.Add(names.Of((TypeReferenceHandle)entity));
                    break;
                case HandleKind.TypeDefinition:
                    found.Add(names.Of((TypeDefinitionHandle)entity));
                    break;
                case HandleKind.TypeSpecification:
                    AddAll(reader.GetTypeSpecification((TypeSpecificationHandle)entity).DecodeSignature(signatures, null));
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)entity);
                    AddEntity(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        AddMethodSignature(member.DecodeMethodSignature(signatures, null));
                    }
                    else
                    {
                        AddAll(member.DecodeFieldSignature(signatures, null));
                    }

                    break;
                case HandleKind.MethodDefinition:
                    found.Add(names.Of(reader.GetMethodDefinition((MethodDefinitionHandle)entity).GetDeclaringType()));
                    break;
                case HandleKind.FieldDefinition:
                    found.Add(names.Of(reader.GetFieldDefinition((FieldDefinitionHandle)entity).GetDeclaringType()));
                    break;
                case HandleKind.MethodSpecification:
                    var spec = reader.GetMethodSpecification((MethodSpecificationHandle)entity);
                    AddEntity(spec.Method);
                    foreach (var argument in spec.DecodeSignature(signatures, null))
                    {
                        AddAll(argument);
                    }

                    break;
                case HandleKind.StandaloneSignature:
                    var standalone = reader.GetStandaloneSignature((StandaloneSignatureHandle)entity);
                    if (standalone.GetKind() == StandaloneSignatureKind.Method)
                    {
                        AddMethodSignature(standalone.DecodeMethodSignature(signatures, null));
                    }
                    else
                    {
                        foreach (var local in standalone.DecodeLocalSignature(signatures, null))
                        {
                            AddAll(local);
                        }
                    }

                    break;
                default:
                    // Module references and the like name no type.
                    break;
            }
        }

        void AddMethodSignature(MethodSignature<ImmutableArray<ReferencedType>> signature)
        {
            AddAll(signature.ReturnType);
            foreach (var parameter in signature.ParameterTypes)
            {
                AddAll(parameter);
            }
        }

        void AddAttributes(CustomAttributeHandleCollection attributes)
        {
            // The attribute's type through its constructor; typeof() arguments inside the value blob are not decoded.
            foreach (var attribute in attributes)
            {
                AddEntity(reader.GetCustomAttribute(attribute).Constructor);
            }
        }

        void AddGenericParameters(GenericParameterHandleCollection parameters)
        {
            foreach (var parameter in parameters.Select(reader.GetGenericParameter))
            {
                AddAttributes(parameter.GetCustomAttributes());
                foreach (var constraint in parameter.GetConstraints())
                {
                    AddEntity(reader.GetGenericParameterConstraint(constraint).Type);
                }
            }
        }

        if (!type.BaseType.IsNil)
        {
            AddEntity(type.BaseType);
        }

        foreach (var implementation in type.GetInterfaceImplementations())
        {
            AddEntity(reader.GetInterfaceImplementation(implementation).Interface);
        }

        AddAttributes(type.GetCustomAttributes());
        AddGenericParameters(type.GetGenericParameters());

        foreach (var field in type.GetFields().Select(reader.GetFieldDefinition))
        {
            AddAll(field.DecodeSignature(signatures, null));
            AddAttributes(field.GetCustomAttributes());
        }

        foreach (var property in type.GetProperties().Select(reader.GetPropertyDefinition))
        {
            AddMethodSignature(property.DecodeSignature(signatures, null));
            AddAttributes(property.GetCustomAttributes());
        }

        foreach (var @event in type.GetEvents().Select(reader.GetEventDefinition))
        {
            AddEntity(@event.Type);
            AddAttributes(@event.GetCustomAttributes());
        }

        foreach (var implementation in type.GetMethodImplementations().Select(reader.GetMethodImplementation))
        {
            AddEntity(implementation.MethodDeclaration);
        }

        foreach (var method in type.GetMethods().Select(reader.GetMethodDefinition))
        {
            AddMethodSignature(method.DecodeSignature(signatures, null));
            AddAttributes(method.GetCustomAttributes());
            AddGenericParameters(method.GetGenericParameters());
            foreach (var parameter in method.GetParameters())
            {
                AddAttributes(reader.GetParameter(parameter).GetCustomAttributes());
            }

            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                AddEntity(body.LocalSignature);
            }

            foreach (var region in body.ExceptionRegions.Where(r => !r.CatchType.IsNil))
            {
                AddEntity(region.CatchType);
            }

            foreach (var token in IlTokens.Read(body))
            {
                AddEntity(token);
            }
        }

        var self = names.Of(handle);
        found.Remove(self);
        var outer = handle;
        while (!reader.GetTypeDefinition(outer).GetDeclaringType().IsNil)
        {
            outer = reader.GetTypeDefinition(outer).GetDeclaringType();
        }

        var declaring = type.GetDeclaringType();
        return new InspectedType(
            handle,
            self.FullName,
            reader.GetString(reader.GetTypeDefinition(outer).Namespace),
            names.Of(outer).FullName,
            declaring.IsNil ? null : declaring,
            type.BaseType,
            found);
    }
}

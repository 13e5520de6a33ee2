using System.Reflection.Metadata;

namespace FTLPortal.Architecture.Tests.Metadata;

/// <summary>
/// A type defined in an inspected assembly with every type its metadata names: base type, interfaces, generic constraints,
/// attributes, field/property/event/method signatures, locals, catch clauses and the tokens of its IL.
/// </summary>
/// <param name="Namespace">The namespace of the outermost declaring type (compiler-generated nested types belong to it).</param>
/// <param name="OuterFullName">The outermost declaring type; the type itself when it is not nested.</param>
public sealed record InspectedType(
    TypeDefinitionHandle Handle,
    string FullName,
    string Namespace,
    string OuterFullName,
    TypeDefinitionHandle? DeclaringType,
    EntityHandle BaseType,
    IReadOnlySet<ReferencedType> References);

using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace FTLPortal.Architecture.Tests.Metadata;

/// <summary>Decodes a signature blob into every named type in it, generic arguments, array elements and modifiers included.</summary>
internal sealed class SignatureTypeNames(TypeNames names) : ISignatureTypeProvider<ImmutableArray<ReferencedType>, object?>
{
    public ImmutableArray<ReferencedType> GetArrayType(ImmutableArray<ReferencedType> elementType, ArrayShape shape) => elementType;

    public ImmutableArray<ReferencedType> GetByReferenceType(ImmutableArray<ReferencedType> elementType) => elementType;

    public ImmutableArray<ReferencedType> GetFunctionPointerType(MethodSignature<ImmutableArray<ReferencedType>> signature) =>
        signature.ParameterTypes.Aggregate(signature.ReturnType, (all, p) => all.AddRange(p));

    public ImmutableArray<ReferencedType> GetGenericInstantiation(ImmutableArray<ReferencedType> genericType, ImmutableArray<ImmutableArray<ReferencedType>> typeArguments) =>
        typeArguments.Aggregate(genericType, (all, a) => all.AddRange(a));

    public ImmutableArray<ReferencedType> GetGenericMethodParameter(object? genericContext, int index) => [];

    public ImmutableArray<ReferencedType> GetGenericTypeParameter(object? genericContext, int index) => [];

    public ImmutableArray<ReferencedType> GetModifiedType(ImmutableArray<ReferencedType> modifier, ImmutableArray<ReferencedType> unmodifiedType, bool isRequired) =>
        unmodifiedType.AddRange(modifier);

    public ImmutableArray<ReferencedType> GetPinnedType(ImmutableArray<ReferencedType> elementType) => elementType;

    public ImmutableArray<ReferencedType> GetPointerType(ImmutableArray<ReferencedType> elementType) => elementType;

    // Primitives live in the core library, which no rule is about.
    public ImmutableArray<ReferencedType> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];

    public ImmutableArray<ReferencedType> GetSZArrayType(ImmutableArray<ReferencedType> elementType) => elementType;

    public ImmutableArray<ReferencedType> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [names.Of(handle)];

    public ImmutableArray<ReferencedType> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [names.Of(handle)];

    public ImmutableArray<ReferencedType> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
}

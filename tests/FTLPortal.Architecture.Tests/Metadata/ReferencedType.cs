namespace FTLPortal.Architecture.Tests.Metadata;

/// <summary>A type named in metadata: the assembly that defines it and its full name (nested types as Outer+Inner).</summary>
public readonly record struct ReferencedType(string Assembly, string FullName)
{
    public override string ToString() => $"{FullName} [{Assembly}]";
}

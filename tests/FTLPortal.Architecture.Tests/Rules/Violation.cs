using FTLPortal.Architecture.Tests.Metadata;

namespace FTLPortal.Architecture.Tests.Rules;

/// <summary>One forbidden reference: who (<paramref name="Owner"/>, via the type whose metadata names it) and what.</summary>
public sealed record Violation(string Owner, string Via, ReferencedType Reference)
{
    public override string ToString() => Owner == Via ? $"{Owner} -> {Reference}" : $"{Owner} (via {Via}) -> {Reference}";
}

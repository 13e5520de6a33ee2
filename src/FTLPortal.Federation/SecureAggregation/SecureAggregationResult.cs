namespace FTLPortal.Federation.SecureAggregation;

/// <summary>The outcome of a secure aggregation round: the sum of the survivors' inputs mod 2⁶⁴, who they were, and the server's traffic.</summary>
public sealed record SecureAggregationResult(ulong[] Sum, IReadOnlyCollection<int> Survivors, long BytesIn, long BytesOut);

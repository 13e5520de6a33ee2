namespace FTLPortal.Federation.Updates;

/// <summary>The outcome of <see cref="UpdateValidator.Validate(ClientUpdate, FTLPortal.Learning.Tensors.WeightSet, IReadOnlyCollection{string}, IReadOnlyCollection{string})"/>: valid, or the first reason the update was rejected.</summary>
public sealed record UpdateValidationResult(bool IsValid, string? Reason)
{
    public static UpdateValidationResult Valid { get; } = new(true, null);

    public static UpdateValidationResult Rejected(string reason) => new(false, reason);
}

namespace FTLPortal.Federation.Tests.Support;

/// <summary>The calls of secure aggregation, in order, at which a <see cref="VanishingSecureAgent"/> can go away.</summary>
public enum SecureStep
{
    AdvertiseKeys,
    ShareKeys,
    TrainMasked,
    Unmask,
}

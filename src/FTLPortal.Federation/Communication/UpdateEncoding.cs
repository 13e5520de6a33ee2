namespace FTLPortal.Federation.Communication;

/// <summary>How an update travels from a partner to the coordinator.</summary>
public enum UpdateEncoding
{
    /// <summary>The new weights as float32 safetensors.</summary>
    FullPrecision,

    /// <summary>The change from the global weights as IEEE half precision (2 bytes a value; relative error ≤ 2⁻¹¹ in the normal range).</summary>
    Float16,

    /// <summary>The change as int8 with one scale per tensor, <c>max|Δ| / 127</c> (1 byte a value; absolute error ≤ scale / 2).</summary>
    ScaledByte,
}

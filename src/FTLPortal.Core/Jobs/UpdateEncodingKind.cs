using System.Text.Json.Serialization;

namespace FTLPortal.Core.Jobs;

/// <summary>How partners send their updates to the coordinator (JSON names: float32, float16, int8).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UpdateEncodingKind>))]
public enum UpdateEncodingKind
{
    /// <summary>The new weights as float32, 4 bytes a value.</summary>
    [JsonStringEnumMemberName("float32")]
    FullPrecision,

    /// <summary>The change as IEEE half precision, 2 bytes a value.</summary>
    [JsonStringEnumMemberName("float16")]
    HalfPrecision,

    /// <summary>The change as int8 with one scale per tensor, 1 byte a value.</summary>
    [JsonStringEnumMemberName("int8")]
    ScaledByte,
}

using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Rounds;

/// <summary>The wire form of weights between coordinator and agents: safetensors.</summary>
internal static class WeightCodec
{
    public static byte[] Encode(WeightSet weights) => SafeTensorsFormat.ToBytes(weights);

    public static WeightSet Decode(ReadOnlySpan<byte> bytes) => SafeTensorsFormat.FromBytes(bytes);
}

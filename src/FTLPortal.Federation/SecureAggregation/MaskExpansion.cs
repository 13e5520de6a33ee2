using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// The deterministic PRG that expands a 32-byte mask seed into a vector over Z/2⁶⁴: AES-256 in counter mode (AES-ECB over
/// counter blocks, hardware AES where available), added to or subtracted from the target in place, in fixed-size chunks
/// (no allocation per coordinate).
/// </summary>
internal static class MaskExpansion
{
    private const int ChunkValues = 4096; // 32 KiB of keystream per AES call

    public static void Apply(ReadOnlySpan<byte> seed, Span<ulong> target, bool subtract)
    {
        if (seed.Length != 32)
        {
            throw new ArgumentException("A mask seed is 32 bytes.", nameof(seed));
        }

        using var aes = Aes.Create();
        aes.Key = seed.ToArray();
        var counters = new byte[ChunkValues * sizeof(ulong)];
        var stream = new byte[counters.Length];
        ulong block = 0;
        for (int start = 0; start < target.Length; start += ChunkValues)
        {
            int values = Math.Min(ChunkValues, target.Length - start);
            int bytes = ((values + 1) / 2) * 16; // two values per 16-byte block
            for (int offset = 0; offset < bytes; offset += 16)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(counters.AsSpan(offset), block++);
            }

            aes.EncryptEcb(counters.AsSpan(0, bytes), stream.AsSpan(0, bytes), PaddingMode.None);
            ReadOnlySpan<ulong> mask = MemoryMarshal.Cast<byte, ulong>(stream.AsSpan(0, values * sizeof(ulong)));
            Span<ulong> slice = target.Slice(start, values);
            if (subtract)
            {
                TensorPrimitives.Subtract(slice, mask, slice);
            }
            else
            {
                TensorPrimitives.Add(slice, mask, slice);
            }
        }
    }
}

using System.Text.Json;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// The coordinator's state between rounds, as the bytes of <see cref="RoundSummary.ServerState"/> (JSON): the strategy's,
/// the adaptive clip bound and the negative-transfer reactions so far (absent in states saved before they existed).
/// </summary>
internal sealed record ServerCheckpoint(byte[]? StrategyState, double? ClipNorm, IReadOnlyList<NegativeTransferReaction>? Reactions = null)
{
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static ServerCheckpoint FromBytes(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<ServerCheckpoint>(bytes) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The saved server state is not readable: {ex.Message}", nameof(bytes), ex);
        }
    }
}

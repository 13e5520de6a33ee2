using System.Text.Json.Serialization;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// One agent's part in one secure aggregation round: the run, the round, the attempt (a retried round starts a new
/// session with fresh keys) and the domain it trains. The agent keeps its protocol state (private keys, self-mask seed,
/// the shares it holds) under this key, in memory only, between the four calls of the round.
/// </summary>
public sealed record SecureSession(string RunId, int Round, int Attempt, string DomainId)
{
    /// <summary>The tag that binds the round's keys and shares to this run, round and attempt (the same for every client of it).</summary>
    [JsonIgnore]
    public string RoundTag => $"{RunId}/{Round}/{Attempt}";
}

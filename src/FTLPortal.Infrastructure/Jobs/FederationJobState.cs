using System.Buffers.Binary;
using System.Security.Cryptography;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Storage;
using FTLPortal.Federation.Rounds;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// What a fine-tuning job's coordinator keeps between round steps besides the weights: the strategy and accountant state
/// of each round (server optimizer moments, adaptive clip bound) and the job's DP noise seed, so a resumed or re-delivered
/// round continues exactly as an uninterrupted run would.
/// </summary>
internal sealed class FederationJobState(IArtifactStore artifacts, Guid jobId)
{
    internal static string ServerStateKey(Guid jobId, int round) => $"jobs/{jobId}/rounds/{round}.server.json";

    internal static string NoiseSeedKey(Guid jobId) => $"jobs/{jobId}/dp-noise.seed";

    public Task<byte[]?> ReadServerStateAsync(int round, CancellationToken cancellationToken) =>
        artifacts.ReadAsync(ServerStateKey(jobId, round), cancellationToken);

    public async Task SaveServerStateAsync(int round, byte[]? state, CancellationToken cancellationToken)
    {
        if (state is not null)
        {
            await artifacts.SaveAsync(ServerStateKey(jobId, round), state, cancellationToken);
        }
    }

    /// <summary>
    /// The job's noise seed, drawn from the OS CSPRNG on first use and kept beside the checkpoints (never in the database,
    /// the card or an event): the coordinator adds the noise, so it alone knows it.
    /// </summary>
    public async Task<int> NoiseSeedAsync(CancellationToken cancellationToken)
    {
        var bytes = await artifacts.ReadAsync(NoiseSeedKey(jobId), cancellationToken);
        if (bytes is not { Length: 4 })
        {
            bytes = RandomNumberGenerator.GetBytes(4);
            await artifacts.SaveAsync(NoiseSeedKey(jobId), bytes, cancellationToken);
        }

        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    internal static string LocalOnlyReferencesKey(Guid jobId) => $"jobs/{jobId}/negative-transfer-references.json";

    /// <summary>
    /// The negative-transfer guard's local-only references, computed by <paramref name="compute"/> on first use and kept
    /// beside the checkpoints, so every round step (and a re-delivered one) compares against the same numbers.
    /// </summary>
    public async Task<IReadOnlyList<LocalOnlyReference>> LocalOnlyReferencesAsync(
        Func<Task<IReadOnlyList<LocalOnlyReference>>> compute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compute);
        if (await artifacts.ReadAsync(LocalOnlyReferencesKey(jobId), cancellationToken) is { } saved)
        {
            return System.Text.Json.JsonSerializer.Deserialize<List<LocalOnlyReference>>(saved) ?? [];
        }

        var references = await compute();
        await artifacts.SaveAsync(LocalOnlyReferencesKey(jobId), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(references), cancellationToken);
        return references;
    }

    /// <summary>Copies the partner's bytes of the round (both ways) onto its metric row.</summary>
    public static void AddTraffic(RoundMetric metric, RoundSummary summary)
    {
        var partner = metric.PartnerId.ToString();
        foreach (var traffic in summary.Traffic.Where(t => t.PartnerId == partner))
        {
            metric.BytesToPartner += traffic.BytesToPartner;
            metric.BytesFromPartner += traffic.BytesFromPartner;
        }
    }
}

namespace FTLPortal.Federation.Rounds;

/// <summary>The seeded per-round choice of participants: a fraction of them, never fewer than the minimum.</summary>
internal static class ClientSelection
{
    public static int Count(int participants, double fraction, int minimum) =>
        Math.Min(participants, Math.Max(minimum, (int)Math.Ceiling(fraction * participants)));

    /// <summary>
    /// <paramref name="count"/> participants in plan order, chosen by a shuffle seeded with the seed, the round and the attempt
    /// (so a rerun or resumed run picks the same, and a retried round may pick others).
    /// </summary>
    public static IReadOnlyList<Participant> Choose(IReadOnlyList<Participant> participants, int count, int seed, int round, int attempt)
    {
        if (count >= participants.Count)
        {
            return participants;
        }

        int[] order = Enumerable.Range(0, participants.Count).ToArray();
#pragma warning disable CA5394 // Reproducible selection, not security.
        new Random(SeedFor(seed, round, attempt)).Shuffle(order);
#pragma warning restore CA5394
        return order.Take(count).Order().Select(i => participants[i]).ToList();
    }

    /// <summary>
    /// The shuffle's seed from (seed, round, attempt), the same in every process: <see cref="HashCode"/> is randomized per
    /// process, so a run resumed after a restart would have picked other participants than the uninterrupted run.
    /// </summary>
    internal static int SeedFor(int seed, int round, int attempt)
    {
        // FNV-1a over the three values' bytes.
        uint hash = 2166136261;
        foreach (int value in (ReadOnlySpan<int>)[seed, round, attempt])
        {
            for (int shift = 0; shift < 32; shift += 8)
            {
                hash = (hash ^ (byte)(value >> shift)) * 16777619;
            }
        }

        return unchecked((int)hash);
    }
}

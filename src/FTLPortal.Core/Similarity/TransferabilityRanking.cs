namespace FTLPortal.Core.Similarity;

/// <summary>
/// For one target domain, the other domains ordered by how promising they are as a source to transfer from:
/// nearest input distribution (kernel MMD) first, then nearest label distribution. Domains whose schema differs from
/// the target's (no MMD) come last.
/// </summary>
public static class TransferabilityRanking
{
    public static IReadOnlyList<RankedSource> For(SimilarityResult result, Guid targetDomainId)
    {
        ArgumentNullException.ThrowIfNull(result);
        var target = result.DomainIds.ToList().IndexOf(targetDomainId);
        if (target < 0)
        {
            throw new ArgumentException("The target domain is not part of this similarity result.", nameof(targetDomainId));
        }

        return Enumerable.Range(0, result.DomainIds.Count)
            .Where(i => i != target)
            .Select(i => new RankedSource(result.DomainIds[i], result.DomainNames[i], result.Mmd[target][i], result.LabelDistance[target][i]))
            .OrderBy(s => s.Mmd is null)
            .ThenBy(s => s.Mmd ?? double.MaxValue)
            .ThenBy(s => s.LabelDistance ?? double.MaxValue)
            .ToList();
    }
}

using FTLPortal.Core.Similarity;

namespace FTLPortal.Core.Tests.Similarity;

public sealed class TransferabilityRankingTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();
    private static readonly Guid C = Guid.NewGuid();
    private static readonly Guid D = Guid.NewGuid();

    private static SimilarityResult Result() => new()
    {
        DomainIds = [A, B, C, D],
        DomainNames = ["a", "b", "c", "d"],
        Mmd =
        [
            [0, 0.4, 0.1, null],
            [0.4, 0, 0.3, null],
            [0.1, 0.3, 0, null],
            [null, null, null, 0],
        ],
        LabelDistance =
        [
            [0, 0.2, 0.5, 0.0],
            [0.2, 0, 0.1, 0.3],
            [0.5, 0.1, 0, 0.3],
            [0.0, 0.3, 0.3, 0],
        ],
    };

    [Fact]
    public void For_OrdersByMmdThenLabels_AndPutsOtherSchemasLast()
    {
        var ranking = TransferabilityRanking.For(Result(), A);

        Assert.Equal(["c", "b", "d"], ranking.Select(r => r.DomainName));
        Assert.Equal(0.1, ranking[0].Mmd);
        Assert.Equal(0.5, ranking[0].LabelDistance);
        Assert.Null(ranking[2].Mmd);
    }

    [Fact]
    public void For_Throws_WhenTargetIsNotInResult()
    {
        Assert.Throws<ArgumentException>(() => TransferabilityRanking.For(Result(), Guid.NewGuid()));
    }
}

using FTLPortal.Core.Domains;

namespace FTLPortal.Core.Tests.Domains;

public sealed class DomainStatisticsTests
{
    [Fact]
    public void FromSummaryJson_ReadsMomentsAndHistogram_IgnoringTheEmbedding()
    {
        const string json = """
            {"Rows":5,"FeatureNames":["a","b"],"Means":[1.5,-2],"StandardDeviations":[0.5,1],"ClassNames":["x","y"],"ClassCounts":[3,2],
             "EmbeddingSeed":7,"EmbeddingBandwidth":1.4,"MeanEmbedding":[0.1,0.2,0.3]}
            """;

        var stats = DomainStatistics.FromSummaryJson(json);

        Assert.Equal(5, stats.Rows);
        Assert.Equal(["a", "b"], stats.FeatureNames);
        Assert.Equal([1.5, -2], stats.Means);
        Assert.Equal([3, 2], stats.ClassCounts);
    }

    [Fact]
    public void FromSummaryJson_ReturnsEmptyStatistics_ForEmptyObject()
    {
        var stats = DomainStatistics.FromSummaryJson("{}");

        Assert.Equal(0, stats.Rows);
        Assert.Empty(stats.FeatureNames);
    }
}

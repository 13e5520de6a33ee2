using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Summaries;

namespace FTLPortal.Federation.Tests.Support;

/// <summary>In-process agents, one per partner, each with domain "d" registered from a synthetic dataset; calls recorded.</summary>
internal static class SyntheticFederation
{
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 16 };

    /// <summary>
    /// alpha, beta and "shifted", whose class centres are rotated by 2π/3 in the plane of the first two features: the same
    /// clusters carry other labels, which one shared head cannot fit for everyone while a personal head can.
    /// </summary>
    public static Dictionary<string, TabularDataset> ConceptShifted() => new()
    {
        ["alpha"] = TestData.Synthetic(rows: 240, features: 4, classes: 3, seed: 31),
        ["beta"] = TestData.Synthetic(rows: 240, features: 4, classes: 3, seed: 32),
        ["shifted"] = TestData.Synthetic(rows: 240, features: 4, classes: 3, seed: 33, conceptShift: 2 * Math.PI / 3),
    };

    public static async Task<Dictionary<string, (InProcessAgent Inner, RecordingAgent Agent)>> StartAsync(TempFolder temp, IReadOnlyDictionary<string, TabularDataset> domains)
    {
        var agents = new Dictionary<string, (InProcessAgent, RecordingAgent)>();
        foreach ((string partner, TabularDataset data) in domains)
        {
            var inner = new InProcessAgent(partner, temp.Sub(partner));
            await inner.RegisterDomainAsync("d", TestData.ToCsv(data), "label", Summary, CancellationToken.None);
            agents[partner] = (inner, new RecordingAgent(inner));
        }

        return agents;
    }
}

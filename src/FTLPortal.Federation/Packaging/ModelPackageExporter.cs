using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Learning.Models;

namespace FTLPortal.Federation.Packaging;

/// <summary>
/// Builds the <see cref="ModelPackage"/> of a trained model: each participant's agent tells its domain's preprocessing
/// (feature names and the z-scoring of its fixed train rows); the package holds every domain's and the pooled global one.
/// </summary>
public static class ModelPackageExporter
{
    public static async Task<ModelPackage> BuildAsync(
        string architectureJson, byte[] weights, IReadOnlyList<Participant> participants, double validationFraction = 0.2, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(architectureJson);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(participants);
        if (participants.Count == 0)
        {
            throw new ArgumentException("A package needs the preprocessing of at least one domain.", nameof(participants));
        }

        ModelArchitecture architecture = ModelArchitecture.FromJson(architectureJson);
        DomainPreprocessing[] domains = await Task.WhenAll(
            participants.Select(p => p.Agent.GetPreprocessingAsync(p.DomainId, validationFraction, ct))).ConfigureAwait(false);
        IReadOnlyList<string> features = domains[0].FeatureNames;
        DomainPreprocessing? mismatch = domains.FirstOrDefault(d => !d.FeatureNames.SequenceEqual(features, StringComparer.Ordinal));
        if (mismatch is not null || features.Count != architecture.InputSize)
        {
            throw new ArgumentException(
                $"Domain '{(mismatch ?? domains[0]).DomainId}' has features that do not match the others' or the model's {architecture.InputSize} inputs.",
                nameof(participants));
        }

        string? repeated = domains.GroupBy(d => d.DomainId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            throw new ArgumentException($"Domain '{repeated}' appears twice; standardizations are named by domain id.", nameof(participants));
        }

        FeatureStandardization[] perDomain = domains
            .Select(d => new FeatureStandardization(d.DomainId, d.Means, d.StandardDeviations, d.TrainRows))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToArray();
        List<FeatureStandardization> all = [.. perDomain];
        if (perDomain.Length > 1)
        {
            all.Add(ModelPreprocessing.Pool(perDomain));
        }

        return new ModelPackage
        {
            ArchitectureJson = architectureJson,
            Weights = weights,
            Preprocessing = new ModelPreprocessing
            {
                FeatureNames = features,
                ClassNames = architecture.ClassNames,
                OneHotColumns = ModelPreprocessing.OneHotColumnsOf(features),
                Standardizations = all.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(),
                DefaultStandardization = perDomain.Length == 1 ? perDomain[0].Name : ModelPreprocessing.GlobalName,
            },
        };
    }
}

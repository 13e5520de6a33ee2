using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// A partner-specific task head (multitask): the global architecture with its output layer re-sized to one domain's own
/// classes, and that layer's first weights drawn afresh from the job's seed and the domain id (the global output layer is
/// never used by such a partner). Only the agent builds it; the head's tensors stay with the partner.
/// </summary>
internal static class TaskHead
{
    /// <summary>The domain's architecture: the global one with the output layer sized to <paramref name="classNames"/>.</summary>
    public static ModelArchitecture Architecture(ModelArchitecture global, IReadOnlyList<string> classNames, string domainId)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(classNames);
        LayerSpec output = global.Layers[^1];
        if (output.Kind != LayerSpec.DenseKind)
        {
            throw new IncompatibleDomainException(
                $"Domain '{domainId}' needs its own task head, but the model's last layer '{output.Name}' is a {output.Kind} layer, not a dense output layer.");
        }

        var own = global with
        {
            ClassNames = classNames.ToArray(),
            Layers = [.. global.Layers.Take(global.Layers.Count - 1), output with { Units = classNames.Count }],
        };
        own.Validate();
        return own;
    }

    /// <summary>
    /// The domain model's starting weights: the global tensors for every layer but the output, whose tensors are freshly
    /// initialised with <see cref="Seed"/> (so two partners' heads differ and a rerun draws the same head).
    /// </summary>
    public static WeightSet InitialWeights(ModelArchitecture own, WeightSet global, int headSeed, string domainId)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(global);
        string output = own.Layers[^1].Name;
        WeightSet fresh = SequentialModel.Create(own, Seed(headSeed, domainId)).GetWeights();
        return new WeightSet(fresh.Select(t => t.LayerName == output || !global.TryGet(t.Name, out NamedTensor? g) ? t : g));
    }

    /// <summary>The head's seed: the job seed mixed with a stable (FNV-1a) hash of the domain id.</summary>
    public static int Seed(int headSeed, string domainId)
    {
        ArgumentNullException.ThrowIfNull(domainId);
        uint hash = 2166136261;
        foreach (char c in domainId)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return unchecked((int)hash ^ (headSeed * 1_000_003));
    }
}

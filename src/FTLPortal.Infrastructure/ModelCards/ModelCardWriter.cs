using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>
/// Writes the model card: Markdown (every name escaped, see <see cref="MarkdownText"/>) with Hugging Face style YAML front matter (YamlDotNet) and the sections of Mitchell et al. (2019),
/// and the same facts as JSON for tools.
/// </summary>
internal static class ModelCardWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string ModelName(ModelCardInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return $"{input.BaseModel.Name}-ft-{input.Job.Id.ToString()[..8]}";
    }

    /// <summary>
    /// The package's name for the model: the base model and the weights file's SHA-256 prefix, so it depends on the run's
    /// inputs only (the portal's <see cref="ModelName"/> names the job).
    /// </summary>
    public static string PackageModelName(ModelCardInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return $"{input.BaseModel.Name}-ft-{input.WeightsSha256[..Math.Min(8, input.WeightsSha256.Length)]}";
    }

    /// <summary>The portal's card: names the job, its requester and the time it was written.</summary>
    public static string ToMarkdown(ModelCardInput input) => ToMarkdown(input, forPackage: false);

    /// <summary>
    /// The card inside the model package: the same card without the job id, job name, requester and time (the run's
    /// identifiers, kept in the portal's card), so two identical runs give byte-identical packages.
    /// </summary>
    public static string ToPackageMarkdown(ModelCardInput input) => ToMarkdown(input, forPackage: true);

    private static string ToMarkdown(ModelCardInput input, bool forPackage)
    {
        ArgumentNullException.ThrowIfNull(input);
        var c = CultureInfo.InvariantCulture;
        var p = input.Parameters;
        var frozen = p.FrozenLayers;
        var name = forPackage ? PackageModelName(input) : ModelName(input);
        var sb = new StringBuilder();
        sb.AppendLine("---");
        sb.Append(ModelCardFrontMatter.ToYaml(input, name, withTime: !forPackage));
        sb.AppendLine("---");
        sb.AppendLine();
        sb.AppendLine(c, $"# Model card: {Md(name)}");
        sb.AppendLine();
        sb.AppendLine("## Model details");
        sb.AppendLine();
        sb.AppendLine(forPackage
            ? $"- Fine-tuned federatedly in the FTL Portal. {PackageRunIdentifiersNote}"
            : $"- Fine-tuned federatedly by job **{Md(input.Job.Name)}** (`{input.Job.Id}`), requested by {Md(input.Job.CreatedBy)}.");
        if (input.BaseModel.IsImported)
        {
            // An imported model has no source domain in the portal: say where its weights came from instead (the package
            // leaves out who, like the other run identifiers).
            var by = forPackage ? "" : $" by {Md(input.BaseModel.ImportedBy ?? "")}";
            sb.AppendLine(c, $"- Base model: **{Md(input.BaseModel.Name)} v{input.BaseModel.Version}**, imported{by} ({Md(input.BaseModel.ImportFormat ?? "")} file, SHA-256 `{input.BaseModel.ImportFileSha256}`).");
        }
        else
        {
            sb.AppendLine(c, $"- Base model: **{Md(input.BaseModel.Name)} v{input.BaseModel.Version}**, pre-trained on domain *{Md(input.BaseModel.SourceDomainName)}* ({input.BaseModel.TrainRows} training rows, validation accuracy {Percent(input.BaseModel.ValidationAccuracy)}).");
        }

        sb.AppendLine(c, $"- Architecture: multilayer perceptron, {input.FeatureNames.Count} inputs, {input.ClassNames.Count} classes ({string.Join(", ", input.ClassNames.Select(Md))}).");
        sb.AppendLine(c, $"- Strategy: {Md(input.Strategy)} over {input.Partners.Count} partners, {p.Rounds} rounds of {p.LocalEpochs} local epochs (Adam, learning rate {p.LearningRate.ToString(c)}, batch {p.BatchSize}, seed {p.Seed}).");
        sb.AppendLine(c, $"- Model choice: {EvaluationSection.ModelChoice(input)}.");
        sb.AppendLine(input.MixedEngines
            ? $"- Training engines: {Md(input.Engine)} ({Md(input.EngineVersion)}) for the job; per participant: {string.Join("; ", input.Partners.Select(r => $"{Md(r.PartnerName)} ({Md(r.DomainName)}) {EngineOf(input, r)}"))}."
            : $"- Training engine: {Md(input.Engine)} ({Md(input.EngineVersion)}).");
        sb.AppendLine(c, $"- Trainable parameters: {input.TrainableParameters.ToString("N0", c)}; frozen parameters: {input.FrozenParameters.ToString("N0", c)}.");
        sb.AppendLine(c, $"- Weights: safetensors, SHA-256 `{input.WeightsSha256}`.");
        sb.AppendLine();
        sb.AppendLine("### Layers");
        sb.AppendLine();
        sb.AppendLine("| Layer | Kind | Output shape | Parameters | Frozen |");
        sb.AppendLine("|---|---|---|---:|---|");
        foreach (var layer in input.Layers)
        {
            var isFrozen = frozen.Contains(layer.Name) ? "yes" : (layer.ParameterCount > 0 ? "no" : "–");
            sb.AppendLine(c, $"| {Md(layer.Name)} | {Md(layer.Kind)} | {string.Join('×', layer.Shape)} | {layer.ParameterCount.ToString("N0", c)} | {isFrozen} |");
        }

        sb.AppendLine();
        FederationCardSection.AppendMarkdown(sb, input.Federation);
        sb.AppendLine("## Intended use");
        sb.AppendLine();
        sb.AppendLine("Classifying rows with the same feature schema as the participating domains, at the participating partners. Not validated for other populations or for decisions about individuals without human review.");
        sb.AppendLine();
        sb.AppendLine("## Factors");
        sb.AppendLine();
        sb.AppendLine("Partners differ in covariate distribution and class balance; results are therefore reported per partner. Features are standardized by each partner with statistics of its own training rows.");
        sb.AppendLine();
        sb.AppendLine("## Metrics");
        sb.AppendLine();
        sb.AppendLine(c, $"Accuracy, balanced accuracy, {(input.ClassNames.Count == 2 ? "ROC AUC, sensitivity and specificity at the 0.5 threshold" : "macro-F1 and per-class recall")}, a confusion matrix and the majority-class baseline, each with a bootstrap 95 % interval, on each domain's fixed test rows. Each domain is compared against two baselines: the base model as it is, and local-only fine-tuning from the same base model for the same number of epochs on that domain's data alone. Negative transfer is flagged only when the federated {FineTuningEvaluationFlag} is below local-only beyond both intervals.");
        sb.AppendLine();
        sb.AppendLine("## Training data");
        sb.AppendLine();
        sb.AppendLine(input.MixedEngines ? "| Partner | Domain | Training rows | Engine |" : "| Partner | Domain | Training rows |");
        sb.AppendLine(input.MixedEngines ? "|---|---|---:|---|" : "|---|---|---:|");
        foreach (var partner in input.Partners)
        {
            sb.AppendLine(input.MixedEngines
                ? $"| {Md(partner.PartnerName)} | {Md(partner.DomainName)} | {partner.TrainRows} | {EngineOf(input, partner)} |"
                : $"| {Md(partner.PartnerName)} | {Md(partner.DomainName)} | {partner.TrainRows} |");
        }

        sb.AppendLine();
        sb.AppendLine(input.MixedEngines
            ? "Rows never left the partners: each partner's agent trained locally with the engine named in the table above and sent only the weights of the trainable layers."
            : $"Rows never left the partners: each partner's agent trained locally with the {Md(input.Engine)} engine ({Md(input.EngineVersion)}) and sent only the weights of the trainable layers.");
        sb.AppendLine();
        sb.AppendLine("## Evaluation data");
        sb.AppendLine();
        sb.AppendLine("Each domain has one fixed, label-stratified split made when it was registered (seeded by the domain): test rows that no job ever trains on, and validation rows that every round's global model is scored on (the job page's per-round numbers). Domains under 100 rows also get a k-fold cross-validated local-only estimate.");
        sb.AppendLine();
        sb.AppendLine("## Quantitative analyses");
        sb.AppendLine();
        EvaluationSection.AppendMarkdown(sb, input);
        sb.AppendLine();
        sb.AppendLine("### Rounds");
        sb.AppendLine();
        sb.AppendLine("The global (averaged) model after each round, scored on every domain's validation rows (weighted by rows).");
        sb.AppendLine();
        sb.AppendLine("| Round | Participants | Dropped | Global model validation loss | Global model validation accuracy |");
        sb.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var r in input.Rounds)
        {
            sb.AppendLine(c, $"| {r.Round} | {r.Participants} | {r.Dropped} | {r.MeanValidationLoss.ToString("F4", c)} | {Percent(r.MeanValidationAccuracy)} |");
        }

        sb.AppendLine();
        sb.AppendLine("## Ethical considerations");
        sb.AppendLine();
        sb.AppendLine(FederationCardSection.PrivacyStatement(input.Federation));
        sb.AppendLine();
        sb.AppendLine("## Caveats and recommendations");
        sb.AppendLine();
        var worse = input.Evaluation.Domains.Where(d => d.NegativeTransfer).Select(d => $"{Md(d.DomainName)} ({Md(d.PartnerName)})").ToList();
        var unreachable = input.Partners.Where(r => r.Note is not null).ToList();
        sb.AppendLine(worse.Count == 0
            ? $"No negative transfer: for {(unreachable.Count == 0 ? "every domain" : "every domain with final numbers")} the federated {FineTuningEvaluationFlag} is not below local-only fine-tuning beyond the intervals."
            : $"Negative transfer: federated fine-tuning did clearly worse than local-only fine-tuning ({FineTuningEvaluationFlag}, beyond both intervals) for: {string.Join(", ", worse)}. Those partners should prefer their local model or a federation of more similar domains.");
        if (unreachable.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(c, $"No final numbers for: {string.Join("; ", unreachable.Select(u => $"{Md(u.PartnerName)} ({Md(u.Note)})"))}.");
        }

        var dropped = input.Partners.Where(r => r.RoundsDropped > 0).ToList();
        if (dropped.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(c, $"Participants dropped out of some rounds: {string.Join(", ", dropped.Select(d => $"{Md(d.PartnerName)} ({d.RoundsDropped})"))}.");
        }

        return sb.ToString();
    }

    /// <summary>"torchsharp (TorchSharp 0.107.0 / libtorch 2.10.0)": the participant's engine, the job's when the result names none.</summary>
    private static string EngineOf(ModelCardInput input, PartnerResult partner) =>
        $"{Md(partner.Engine ?? input.Engine)} ({Md(partner.EngineVersion ?? input.EngineVersion)})";

    public static string ToJson(ModelCardInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var p = input.Parameters;
        var card = new
        {
            ModelName = ModelName(input),
            JobId = input.Job.Id,
            JobName = input.Job.Name,
            input.Job.CreatedBy,
            BaseModel = new
            {
                input.BaseModel.Id,
                input.BaseModel.Name,
                input.BaseModel.Version,
                Origin = input.BaseModel.Origin.ToString(),
                SourceDomainName = input.BaseModel.HasSourceDomain ? input.BaseModel.SourceDomainName : null,
                Sha256 = input.BaseModel.WeightsSha256,
                input.BaseModel.ImportFileSha256,
                input.BaseModel.ImportFormat,
            },
            input.FeatureNames,
            input.ClassNames,
            Layers = input.Layers.Select(l => new { l.Name, l.Kind, l.Shape, l.ParameterCount, Frozen = p.FrozenLayers.Contains(l.Name) }),
            FrozenLayers = p.FrozenLayers,
            Training = new { input.Strategy, p.Rounds, p.LocalEpochs, p.LearningRate, p.BatchSize, p.Seed, Optimizer = "Adam", Engine = input.EngineVersion, EngineName = input.Engine },
            ModelChoice = new { Summary = EvaluationSection.ModelChoice(input), p.WeightDecay, p.EarlyStoppingPatience, ClassWeighting = p.ClassWeighting.ToString(), p.ValidationFraction },
            input.Evaluation,
            input.TrainableParameters,
            input.FrozenParameters,
            Weights = new { Format = "safetensors", input.WeightsSha256 },
            Federation = FederationCardSection.Json(input.Federation),
            Partners = input.Partners,
            Rounds = input.Rounds,
            input.GeneratedAt,
        };
        return JsonSerializer.Serialize(card, JsonOptions);
    }

    /// <summary>What the package's card says instead of the job, requester and time.</summary>
    public const string PackageRunIdentifiersNote = "Run identifiers (job, requester, time) are in the portal: this card holds only what the run's inputs determine, so identical runs give identical packages.";

    private const string FineTuningEvaluationFlag = Core.Jobs.Evaluation.FineTuningEvaluation.FlagMetric;

    /// <summary>"72.5%": the invariant culture's P format puts a space before the sign.</summary>
    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";

    /// <summary>User-supplied text, literal in Markdown.</summary>
    private static string Md(string? text) => MarkdownText.Escape(text);
}

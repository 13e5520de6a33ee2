using System.Globalization;
using YamlDotNet.Serialization;

namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>
/// The card's Hugging Face style YAML front matter, written by YamlDotNet: every name is a scalar the emitter quotes as
/// needed, so a name with a newline, "---", a colon or quotes reads back as the same string and cannot end the block.
/// </summary>
internal static class ModelCardFrontMatter
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithIndentedSequences()
        .WithQuotingNecessaryStrings()
        .Build();

    public static string ToYaml(ModelCardInput input, string modelName, bool withTime = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        var p = input.Parameters;
        var c = CultureInfo.InvariantCulture;
        var document = new Dictionary<string, object?>
        {
            ["model_name"] = modelName,
            ["library_name"] = "ftlportal",
            ["pipeline_tag"] = "tabular-classification",
            ["tags"] = new[] { "federated-learning", "transfer-learning", "fedavg" },
            ["base_model"] = $"{input.BaseModel.Name} v{input.BaseModel.Version}",
            ["base_model_sha256"] = input.BaseModel.WeightsSha256,
            ["weights_sha256"] = input.WeightsSha256,
            ["weights_format"] = "safetensors",
            ["frozen_layers"] = p.FrozenLayers.ToList(),
            ["partners"] = input.Partners.Select(r => PartnerEntry(input, r)).ToList(),
            ["training"] = new Dictionary<string, object?>
            {
                ["strategy"] = input.Strategy,
                ["rounds"] = p.Rounds,
                ["local_epochs"] = p.LocalEpochs,
                ["learning_rate"] = p.LearningRate,
                ["batch_size"] = p.BatchSize,
                ["seed"] = p.Seed,
                ["weight_decay"] = p.WeightDecay,
                ["early_stopping_patience"] = p.EarlyStoppingPatience,
                ["class_weighting"] = p.ClassWeighting.ToString(),
                ["validation_fraction"] = p.ValidationFraction,
                ["engine"] = input.EngineVersion,
                ["engine_name"] = input.Engine,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            },
            ["model-index"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["name"] = modelName,
                    ["results"] = input.Partners.Select(r => new Dictionary<string, object?>
                    {
                        ["task"] = new Dictionary<string, object?> { ["type"] = "tabular-classification" },
                        ["dataset"] = new Dictionary<string, object?> { ["name"] = r.DomainName, ["split"] = "test" },
                        ["metrics"] = EvaluationSection.ModelIndexMetrics(input.Evaluation, r.DomainName),
                    }).ToList(),
                },
            },
        };
        if (withTime)
        {
            // Left out of the package's card: a wall-clock time would make identical runs' packages differ.
            document["generated_at"] = input.GeneratedAt.UtcDateTime.ToString("O", c);
        }

        return Serializer.Serialize(document);
    }

    /// <summary>A partner's name and domain, and in a mixed job the engine its agent trained with.</summary>
    private static Dictionary<string, object?> PartnerEntry(ModelCardInput input, PartnerResult partner)
    {
        var entry = new Dictionary<string, object?> { ["name"] = partner.PartnerName, ["domain"] = partner.DomainName };
        if (input.MixedEngines)
        {
            entry["engine"] = partner.EngineVersion ?? input.EngineVersion;
            entry["engine_name"] = partner.Engine ?? input.Engine;
        }

        return entry;
    }
}

using System.Security.Cryptography;

namespace FTLPortal.Federation.Packaging;

/// <summary>
/// The portable model: architecture JSON, weights as safetensors, preprocessing, and the model card's slot (Markdown written
/// by the portal; <see cref="WithModelCard"/>). <see cref="ModelPackageWriter"/> turns it into a zip whose bytes depend on
/// these contents only.
/// </summary>
public sealed record ModelPackage
{
    public const string WeightsEntry = "model.safetensors";
    public const string ArchitectureEntry = "architecture.json";
    public const string PreprocessingEntry = "preprocessing.json";
    public const string ModelCardEntry = "MODEL_CARD.md";
    public const string ReadmeEntry = "README.md";
    public const string ManifestEntry = "manifest.json";

    public required string ArchitectureJson { get; init; }

#pragma warning disable CA1819 // The safetensors file as it is written into the package.
    public required byte[] Weights { get; init; }
#pragma warning restore CA1819

    public required ModelPreprocessing Preprocessing { get; init; }

    /// <summary>The model card (Markdown), or null before the portal has written it.</summary>
    public string? ModelCardMarkdown { get; init; }

    /// <summary>The SHA-256 (lowercase hex) of <c>model.safetensors</c>: what <c>sha256sum</c> prints for the extracted file.</summary>
    public string WeightsSha256 => Convert.ToHexStringLower(SHA256.HashData(Weights));

    /// <summary>The same package with the model card in its slot (write <see cref="WeightsSha256"/> into the card first).</summary>
    public ModelPackage WithModelCard(string markdown)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(markdown);
        return this with { ModelCardMarkdown = markdown };
    }
}

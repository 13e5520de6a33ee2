namespace FTLPortal.Federation.Packaging;

/// <summary>The <c>manifest.json</c> of a model package: its format and every other file's SHA-256 and size.</summary>
public sealed record PackageManifest(string Format, int Version, IReadOnlyList<PackageFile> Files)
{
    public const string FormatName = "ftlportal-model-package";

    public const int CurrentVersion = 1;
}

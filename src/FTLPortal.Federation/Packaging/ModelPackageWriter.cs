using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FTLPortal.Federation.Packaging;

/// <summary>
/// Writes a <see cref="ModelPackage"/> as a zip that is byte-identical for identical contents: entries in ordinal name
/// order, one fixed timestamp (1980-01-01, the DOS epoch), one compression level, fixed file attributes, no extra fields
/// or comments, no run-specific names, and a <c>manifest.json</c> with each file's SHA-256 and size. (The zip's
/// "made by" byte names the operating system, so bytes match between runs on the same platform and runtime.)
/// </summary>
public static class ModelPackageWriter
{
    /// <summary>The DOS epoch, the earliest time a zip entry holds: no build or run time leaks into the file.</summary>
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A regular file readable by all, writable by its owner (Unix mode 0100644 in the high 16 bits), set explicitly so the
    /// attributes do not follow the writing process's platform defaults.
    /// </summary>
    private const int FileAttributes = unchecked((int)0x81A4_0000);

    /// <summary>One compression level for every entry and every package: deflate output depends on the level.</summary>
    private const CompressionLevel Compression = CompressionLevel.Optimal;

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static readonly UTF8Encoding Utf8 = new(false);

    public static byte[] ToBytes(ModelPackage package)
    {
        using var buffer = new MemoryStream();
        Write(buffer, package);
        return buffer.ToArray();
    }

    public static void Write(Stream destination, ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(package);
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [ModelPackage.ArchitectureEntry] = Utf8.GetBytes(package.ArchitectureJson),
            [ModelPackage.WeightsEntry] = package.Weights,
            [ModelPackage.PreprocessingEntry] = JsonSerializer.SerializeToUtf8Bytes(package.Preprocessing, Json),
            [ModelPackage.ReadmeEntry] = Utf8.GetBytes(Readme(package)),
        };
        if (package.ModelCardMarkdown is not null)
        {
            files[ModelPackage.ModelCardEntry] = Utf8.GetBytes(package.ModelCardMarkdown);
        }

        var manifest = new PackageManifest(
            PackageManifest.FormatName,
            PackageManifest.CurrentVersion,
            files.Select(f => new PackageFile(f.Key, Convert.ToHexStringLower(SHA256.HashData(f.Value)), f.Value.Length)).ToList());
        files[ModelPackage.ManifestEntry] = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);

        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach ((string name, byte[] bytes) in files)
        {
            ZipArchiveEntry entry = zip.CreateEntry(name, Compression);
            entry.LastWriteTime = FixedTime;
            entry.ExternalAttributes = FileAttributes;
            using Stream stream = entry.Open();
            stream.Write(bytes);
        }
    }

    private static string Readme(ModelPackage package) => $"""
        # FTL Portal model package

        - `{ModelPackage.WeightsEntry}`: the weights (safetensors), SHA-256 `{package.WeightsSha256}`
        - `{ModelPackage.ArchitectureEntry}`: the layers, input size and class names
        - `{ModelPackage.PreprocessingEntry}`: feature columns in order, one-hot columns, standardizations
          ({string.Join(", ", package.Preprocessing.Standardizations.Select(s => $"`{s.Name}`"))}; default `{package.Preprocessing.DefaultStandardization}`)
        - `{ModelPackage.ModelCardEntry}`: the model card, when the portal has written it
        - `{ModelPackage.ManifestEntry}`: the SHA-256 and size of every file above

        Predict with the partner-side program (the CSV needs the feature columns by name; other columns are ignored):

            FTLPortal.Agent predict --model <package.zip> --csv <file.csv> [--standardization <name>]

        It prints one line per row: the row number, the predicted class and each class's probability.
        """.Replace("\r\n", "\n", StringComparison.Ordinal);
}

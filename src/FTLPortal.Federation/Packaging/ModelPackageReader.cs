using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FTLPortal.Learning.Models;

namespace FTLPortal.Federation.Packaging;

/// <summary>Reads a model package zip, checking every file against the manifest's SHA-256 before using any of it.</summary>
public static class ModelPackageReader
{
    public static ModelPackage Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelPackageException($"The file is not a model package (not a zip archive): {ex.Message}", ex);
        }

        using (zip)
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                using Stream stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                files[entry.FullName] = buffer.ToArray();
            }

            PackageManifest manifest = Parse<PackageManifest>(Entry(files, ModelPackage.ManifestEntry), ModelPackage.ManifestEntry);
            if (manifest.Format != PackageManifest.FormatName || manifest.Version != PackageManifest.CurrentVersion)
            {
                throw new ModelPackageException($"Unsupported package format '{manifest.Format}' version {manifest.Version}.");
            }

            foreach (PackageFile file in manifest.Files)
            {
                string actual = Convert.ToHexStringLower(SHA256.HashData(Entry(files, file.Name)));
                if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal))
                {
                    throw new ModelPackageException($"'{file.Name}' has SHA-256 {actual}, but the manifest says {file.Sha256}: the package was altered.");
                }
            }

            foreach (string required in new[] { ModelPackage.WeightsEntry, ModelPackage.ArchitectureEntry, ModelPackage.PreprocessingEntry })
            {
                if (!manifest.Files.Any(f => f.Name == required))
                {
                    throw new ModelPackageException($"The manifest does not list '{required}'.");
                }
            }

            string architectureJson = Encoding.UTF8.GetString(Entry(files, ModelPackage.ArchitectureEntry));
            try
            {
                ModelArchitecture.FromJson(architectureJson);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                throw new ModelPackageException($"'{ModelPackage.ArchitectureEntry}' is not a valid architecture: {ex.Message}", ex);
            }

            return new ModelPackage
            {
                ArchitectureJson = architectureJson,
                Weights = Entry(files, ModelPackage.WeightsEntry),
                Preprocessing = Parse<ModelPreprocessing>(Entry(files, ModelPackage.PreprocessingEntry), ModelPackage.PreprocessingEntry),
                ModelCardMarkdown = files.TryGetValue(ModelPackage.ModelCardEntry, out byte[]? card) ? Encoding.UTF8.GetString(card) : null,
            };
        }
    }

    private static byte[] Entry(Dictionary<string, byte[]> files, string name) =>
        files.TryGetValue(name, out byte[]? bytes) ? bytes : throw new ModelPackageException($"The package has no '{name}'.");

    private static T Parse<T>(byte[] json, string name)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, ModelPackageWriter.Json)
                ?? throw new ModelPackageException($"'{name}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new ModelPackageException($"'{name}' is not valid JSON: {ex.Message}", ex);
        }
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bunit;
using FTLPortal.Core.Security;
using FTLPortal.Federation.Packaging;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

/// <summary>
/// Issue 9's "identical runs produce byte-identical files": two fine-tuning runs with the same base model, domains,
/// parameters and seed, through the real job handler, downloaded over HTTP.
/// </summary>
public sealed class ModelPackageDeterminismApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    /// <summary>1980-01-01 00:00 in MS-DOS date format (years since 1980 · 512 + month · 32 + day).</summary>
    private const ushort DosEpochDate = (1 << 5) | 1;

    private static readonly int[] HiddenSizes = [4];
    private static readonly string[] FrozenLayers = ["dense1"];

    [Fact]
    public async Task GetPackage_IsByteIdentical_ForTwoIdenticalRuns_AndDiffersForAnotherSeed()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await ScienceApi.DomainsAsync(scientist);
        var source = domains.Single(d => d.Name == "northwind-registry");
        var targets = domains.Where(d => d.Name is "contoso-outpatients" or "fabrikam-screening").Select(d => d.Id).ToList();
        var modelId = await ScienceApi.PretrainAsync(scientist, source.Id, hiddenSizes: HiddenSizes);
        object Parameters(int seed) => new { baseModelId = modelId, targetDomainIds = targets, frozenLayers = FrozenLayers, rounds = 2, localEpochs = 1, seed };

        var first = await ScienceApi.FineTuneAsync(scientist, "same", Parameters(7));
        var second = await ScienceApi.FineTuneAsync(scientist, "same", Parameters(7));
        var otherSeed = await ScienceApi.FineTuneAsync(scientist, "same", Parameters(8));
        var firstZip = await DownloadAsync(scientist, first, "package");
        var secondZip = await DownloadAsync(scientist, second, "package");
        var otherZip = await DownloadAsync(scientist, otherSeed, "package");

        Assert.NotEqual(Id(first), Id(second));
        Assert.Equal(firstZip, secondZip);
        Assert.NotEqual(firstZip, otherZip);
        Assert.NotEqual(await DownloadAsync(scientist, first, "weights.safetensors"), await DownloadAsync(scientist, otherSeed, "weights.safetensors"));

        // The SHA-256 the portal states (job result, job page) is what sha256sum prints for the downloaded file.
        foreach (var (job, zip) in new[] { (first, firstZip), (second, secondZip), (otherSeed, otherZip) })
        {
            Assert.Equal(Sha256(zip), job.GetProperty("result").GetProperty("PackageSha256").GetString());
        }

        await using (var context = RealPortalPages.ContextOver(factory))
        {
            var page = RealPortalPages.JobDetail(context, TestUsers.WithRole(PortalRoles.DataScientist), Id(second));
            Assert.Equal(Sha256(secondZip), page.Find("#package-sha256").TextContent.Trim());
        }

        // The zip itself: entries in ordinal order, all dated 1980-01-01 00:00, sizes in the local headers, no extra fields.
        var headers = LocalHeaders(firstZip);
        Assert.Equal(headers.Select(h => h.Name).Order(StringComparer.Ordinal), headers.Select(h => h.Name));
        Assert.Contains(ModelPackage.ModelCardEntry, headers.Select(h => h.Name));
        Assert.All(headers, h => Assert.Equal((0, 0, DosEpochDate, 0), (h.Flags & 0x0008, h.DosTime, h.DosDate, h.ExtraLength)));

        // The portal's downloadable cards of the two runs differ only in their run-identifier lines.
        var firstCard = Encoding.UTF8.GetString(await DownloadAsync(scientist, first, "model-card.md"));
        var secondCard = Encoding.UTF8.GetString(await DownloadAsync(scientist, second, "model-card.md"));
        Assert.NotEqual(firstCard, secondCard);
        Assert.Equal(WithoutRunIdentifiers(firstCard, first), WithoutRunIdentifiers(secondCard, second));

        // The package's card is that card without them, and says where they are.
        var packageCard = ModelPackageReader.Read(new MemoryStream(firstZip)).ModelCardMarkdown!;
        Assert.DoesNotContain(Id(first).ToString(), packageCard, StringComparison.Ordinal);
        Assert.DoesNotContain("generated_at", packageCard, StringComparison.Ordinal);
        Assert.Contains("Run identifiers (job, requester, time) are in the portal", packageCard, StringComparison.Ordinal);
        var packageName = $"m-ft-{first.GetProperty("result").GetProperty("WeightsSha256").GetString()![..8]}";
        Assert.Equal(WithoutRunIdentifiers(firstCard, first), WithoutRunIdentifiers(packageCard, first, packageName));
    }

    private static Guid Id(JsonElement job) => job.GetProperty("id").GetGuid();

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<byte[]> DownloadAsync(HttpClient client, JsonElement job, string file) =>
        await client.GetByteArrayAsync(new Uri($"/api/jobs/{Id(job)}/{file}", UriKind.Relative));

    /// <summary>
    /// The card without its run-identifier lines: those naming the job (id, model name from the job id, the job line) or
    /// the time it was written. At most six lines may go, so the comparison still covers the card.
    /// </summary>
    private static List<string> WithoutRunIdentifiers(string markdown, JsonElement job, string? modelName = null)
    {
        modelName ??= job.GetProperty("result").GetProperty("ModelName").GetString()!;
        var lines = markdown.Split('\n');
        var kept = lines.Where(l => !l.Contains(Id(job).ToString(), StringComparison.Ordinal)
                && !l.Contains(modelName, StringComparison.Ordinal)
                && !l.StartsWith("generated_at:", StringComparison.Ordinal)
                && !l.StartsWith("- Fine-tuned federatedly", StringComparison.Ordinal))
            .ToList();
        Assert.InRange(lines.Length - kept.Count, 1, 6);
        return kept;
    }

    private static List<(string Name, int Flags, int DosTime, int DosDate, int ExtraLength)> LocalHeaders(byte[] zip)
    {
        var headers = new List<(string, int, int, int, int)>();
        var at = 0;
        while (at + 30 <= zip.Length && BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) == 0x04034b50)
        {
            int U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + offset));
            var compressed = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 18));
            int nameLength = U16(26), extraLength = U16(28);
            headers.Add((Encoding.UTF8.GetString(zip, at + 30, nameLength), U16(6), U16(10), U16(12), extraLength));
            at += 30 + nameLength + extraLength + compressed;
        }

        // The central directory: no extra fields or comments there either, and none on the archive.
        while (at + 46 <= zip.Length && BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) == 0x02014b50)
        {
            int U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + offset));
            Assert.Equal((0, 0), (U16(30), U16(32)));
            // External attributes: a regular file with mode 0644, whatever the writing process's defaults.
            Assert.Equal(0x81A4_0000u, BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 38)));
            at += 46 + U16(28);
        }

        Assert.Equal(0x06054b50u, BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 20)));

        using var archive = new ZipArchive(new MemoryStream(zip));
        Assert.Equal(archive.Entries.Count, headers.Count);
        return headers;
    }
}

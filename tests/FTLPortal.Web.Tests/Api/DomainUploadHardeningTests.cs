using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Web.Security;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

/// <summary>
/// Hostile and oversized CSVs through <c>POST /api/domains</c>: each is refused with a message that says what is wrong and
/// nothing is stored (no domain row, no file in the partner's agent folder). Issue 10 finding 6 and the hardening list.
/// </summary>
public sealed class DomainUploadHardeningTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string NorthwindAdmin = "northwind-admin@ftl.local";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TheoryData<string, byte[], string> MalformedFiles()
    {
        static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
        var manyClasses = new StringBuilder("a,label\n");
        for (int i = 0; i <= 1000; i++)
        {
            manyClasses.Append(i).Append(",c").Append(i).Append('\n');
        }

        return new TheoryData<string, byte[], string>
        {
            { "empty file", [], "The file is empty." },
            { "blank lines only", Text("\n\r\n  \n"), "The file is empty." },
            { "byte-order mark only", [0xEF, 0xBB, 0xBF], "The file is empty." },
            { "header only", Text("a,label\n"), "header but no data rows" },
            { "row with a cell too many", Text("a,b,label\n1,2,x\n1,2,3,y\n"), "Line 3 has 4 cells; the header has 3." },
            { "row with a cell too few", Text("a,b,label\n1,2,x\n1,y\n"), "Line 3 has 2 cells; the header has 3." },
            { "unclosed quote", Text("a,label\n1,\"x\n2,y\n"), "never closed" },
            { "duplicate column", Text("a,a,label\n1,2,x\n3,4,y\n"), "names column 'a' more than once" },
            { "unnamed column", Text("a,,label\n1,2,x\n3,4,y\n"), "Column 2 of the header has no name" },
            { "no label column", Text("a,b\n1,2\n3,4\n"), "No column named 'label'" },
            { "semicolon-separated", Text("a;b;label\n1;2;x\n3;4;y\n"), "separated by semicolons, not commas" },
            { "tab-separated", Text("a\tb\tlabel\n1\t2\tx\n3\t4\ty\n"), "separated by tabs, not commas" },
            { "NaN", Text("a,label\nNaN,x\n2,y\n"), "Line 2, column 'a': 'NaN' is not a finite number" },
            { "infinity", Text("a,label\n1,x\n-Infinity,y\n"), "Line 3, column 'a': '-Infinity' is not a finite number" },
            { "overflowing number", Text("a,label\n1e999,x\n2,y\n"), "'1e999' is not a finite number" },
            { "decimal comma", Text("a,label\n\"1,5\",x\n2,y\n"), "'1,5' is not a number, so the column is categorical" },
            { "empty feature cell", Text("a,label\n,x\n2,y\n"), "Line 2, column 'a': the cell is empty." },
            { "empty label", Text("a,label\n1,\n2,y\n"), "Line 2, column 'label': the label is empty." },
            { "one class", Text("a,label\n1,x\n2,x\n"), "only one class" },
            { "label column only", Text("label\nx\ny\n"), "no feature columns besides 'label'" },
            { "not UTF-8", [.. Text("a,label\n1,"), 0xC3, 0x28, .. Text("\n2,y\n")], "The file is not UTF-8 text." },
            { "NUL bytes in a cell", Text("a,label\n\0\0,x\n2,y\n"), "is not a number" },
            { "2,001 columns", Text(string.Join(',', Enumerable.Range(0, 2000).Select(i => $"c{i}")) + ",label\n" + string.Join(',', Enumerable.Repeat("1", 2001)) + "\n"), "The header has more than 2,000 columns" },
            { "1,001 classes", Text(manyClasses.ToString()), "more than 1,000 distinct classes" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task PostDomain_Returns400WithTheReasonAndStoresNothing_WhenTheCsvIsMalformed(string what, byte[] csv, string expected)
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var domainsBefore = await DomainIdsAsync(client);
        var filesBefore = AgentFiles("northwind");

        using var response = await DomainUploads.UploadAsync(client, $"hostile {what}", "label", csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(domainsBefore, await DomainIdsAsync(client));
        Assert.Equal(filesBefore, AgentFiles("northwind"));
    }

    [Fact]
    public async Task PostDomain_Refuses500000Columns_WithTheLimitInTheMessage_AndStoresNothing()
    {
        // The shape of the issue's 4.9 MB file: half a million short columns and a few rows.
        var csv = new StringBuilder(string.Join(',', Enumerable.Range(0, 500_000).Select(i => $"c{i}"))).Append(",label\n");
        for (int r = 0; r < 3; r++)
        {
            csv.Append(string.Join(',', Enumerable.Repeat("1", 500_000))).Append(r % 2 == 0 ? ",a\n" : ",b\n");
        }

        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var domainsBefore = await DomainIdsAsync(client);
        var filesBefore = AgentFiles("northwind");

        using var response = await DomainUploads.UploadAsync(client, "half a million columns", "label", csv.ToString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("The header has more than 2,000 columns", await DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(domainsBefore, await DomainIdsAsync(client));
        Assert.Equal(filesBefore, AgentFiles("northwind"));
    }

    [Fact]
    public async Task PostDomain_RefusesMoreRowsThanTheDefaultLimit_AndStoresNothing()
    {
        var csv = new StringBuilder("a,label\n", 4_200_000);
        for (int r = 0; r <= 1_000_000; r++)
        {
            csv.Append(r % 2 == 0 ? "1,a\n" : "2,b\n");
        }

        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var filesBefore = AgentFiles("northwind");

        using var response = await DomainUploads.UploadAsync(client, "a million and one rows", "label", csv.ToString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 1,000,000 data rows", await DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(filesBefore, AgentFiles("northwind"));
    }

    [Fact]
    public async Task PostDomain_OneHotEncodesCategoricalAndNamedColumns_WhenTheFormAsks()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var csv = "colour,region,size,label\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{(i % 3 == 0 ? "red" : "blue")},{1 + (i % 2)},{i},{(i % 2 == 0 ? "x" : "y")}\n"));

        using var refused = await UploadAsync(client, "categories refused", csv, oneHot: null, columns: null);
        using var encoded = await UploadAsync(client, "categories", csv, oneHot: "true", columns: "region");
        using var badFlag = await UploadAsync(client, "categories flag", csv, oneHot: "yes please", columns: null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("turn on one-hot encoding", await DetailAsync(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, encoded.StatusCode);
        var id = (await encoded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var summary = await client.GetAsync(new Uri($"/api/domains/{id}/summary.json", UriKind.Relative));
        var statistics = DomainStatistics.FromSummaryJson(await summary.Content.ReadAsStringAsync());
        Assert.Equal(["colour=blue", "colour=red", "region=1", "region=2", "size"], statistics.FeatureNames);
        Assert.Equal(HttpStatusCode.BadRequest, badFlag.StatusCode);
        Assert.Contains("oneHotCategoricals", await DetailAsync(badFlag), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSummary_ScientistReadsItWhateverTheSimilarityConsent_ButSimilarityScoringRefusesTheDomain()
    {
        // The rule that holds (README, Security): summaries are the catalogue data scientists choose domains by; the
        // similarity consent decides whether a domain enters similarity scoring, not whether its summary can be read.
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var owner = await factory.CreateSignedInClientAsync("fabrikam-admin@ftl.local");
        var all = await scientist.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];
        var fabrikam = Assert.Single(all, d => d.Name == "fabrikam-screening");
        var northwind = Assert.Single(all, d => d.Name == "northwind-registry");
        using var withdraw = await owner.PutAsJsonAsync(new Uri($"/api/domains/{fabrikam.Id}/consent", UriKind.Relative), new DomainConsent(Similarity: false, Training: false));
        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);

        using var summary = await scientist.GetAsync(new Uri($"/api/domains/{fabrikam.Id}/summary.json", UriKind.Relative));
        using var similarity = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = new[] { fabrikam.Id, northwind.Id } });

        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.Equal(400, DomainStatistics.FromSummaryJson(await summary.Content.ReadAsStringAsync()).Rows);
        Assert.Equal(HttpStatusCode.BadRequest, similarity.StatusCode);
        Assert.Contains("has not consented to similarity scoring", await DetailAsync(similarity), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, string csv, string? oneHot, string? columns)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new StringContent("label"), "labelColumn" },
        };
        if (oneHot is not null)
        {
            form.Add(new StringContent(oneHot), "oneHotCategoricals");
        }

        if (columns is not null)
        {
            form.Add(new StringContent(columns), "oneHotColumns");
        }

        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "upload.csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/domains", UriKind.Relative)) { Content = form };
        request.Headers.Add(ApiForgeryGuard.HeaderName, "1");
        return await client.SendAsync(request);
    }

    private static async Task<List<Guid>> DomainIdsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? []).Select(d => d.Id).Order().ToList();

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString() ?? "";

    private List<string> AgentFiles(string slug)
    {
        var folder = Path.Combine(factory.DataDirectory, "agents", slug);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal).ToList()
            : [];
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Federation.Packaging;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

/// <summary>Model choice through <c>POST /api/jobs/fine-tuning</c> and the package download <c>GET /api/jobs/{id}/package</c>.</summary>
public sealed class ModelPackageApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task GetPackage_ReturnsTheZipWithTheCardsSha256_ToScientistsAndJoinedPartnersOnly()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await scientist.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];
        var source = domains.Single(d => d.Name == "northwind-registry");
        var targets = domains.Where(d => d.Name is "contoso-outpatients" or "fabrikam-screening").Select(d => d.Id).ToList();
        var pretrain = await ScienceApi.PostAsync(scientist, "/api/models/pretrain", new { sourceDomainId = source.Id, modelName = "pkg", hiddenSizes = Array.Empty<int>(), epochs = 2, classWeighting = "Balanced" });
        var modelJob = await ScienceApi.WaitAsync(scientist, pretrain.GetProperty("id").GetGuid());
        Assert.Equal("Completed", modelJob.GetProperty("status").GetString());
        var modelId = modelJob.GetProperty("result").GetProperty("BaseModelId").GetGuid();

        var requested = await ScienceApi.PostAsync(scientist, "/api/jobs/fine-tuning", new
        {
            name = "pkg",
            parameters = new { baseModelId = modelId, targetDomainIds = targets, rounds = 2, localEpochs = 1, weightDecay = 0.001, earlyStoppingPatience = 0, classWeighting = "Balanced", validationFraction = 0.25 },
        });
        var job = await ScienceApi.WaitAsync(scientist, requested.GetProperty("id").GetGuid());
        Assert.Equal("Completed", job.GetProperty("status").GetString());
        var jobId = job.GetProperty("id").GetGuid();

        using var response = await scientist.GetAsync(new Uri($"/api/jobs/{jobId}/package", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var zip = await response.Content.ReadAsByteArrayAsync();
        var package = ModelPackageReader.Read(new MemoryStream(zip));
        var card = await scientist.GetStringAsync(new Uri($"/api/jobs/{jobId}/model-card.md", UriKind.Relative));
        var weights = await scientist.GetByteArrayAsync(new Uri($"/api/jobs/{jobId}/weights.safetensors", UriKind.Relative));
        var sha = Convert.ToHexStringLower(SHA256.HashData(package.Weights));
        Assert.Equal(weights, package.Weights);
        // The package's card is the portal's without the run identifiers (ModelPackageDeterminismApiTests compares them line by line).
        Assert.Contains($"`{sha}`", card, StringComparison.Ordinal);
        Assert.Contains($"`{sha}`", package.ModelCardMarkdown, StringComparison.Ordinal);
        Assert.DoesNotContain(jobId.ToString(), package.ModelCardMarkdown, StringComparison.Ordinal);
        Assert.Contains("logistic regression (no hidden layer); weight decay 0.001; balanced class weights", card, StringComparison.Ordinal);
        Assert.Equal(zip, await scientist.GetByteArrayAsync(new Uri($"/api/jobs/{jobId}/package", UriKind.Relative)));

        using var contoso = await factory.CreateSignedInClientAsync("contoso-admin@ftl.local");
        using var northwind = await factory.CreateSignedInClientAsync("northwind-admin@ftl.local");
        using var joined = await contoso.GetAsync(new Uri($"/api/jobs/{jobId}/package", UriKind.Relative));
        using var notJoined = await northwind.GetAsync(new Uri($"/api/jobs/{jobId}/package", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notJoined.StatusCode);

        // The job's result lists each partner's final numbers: the scientist reads both, contoso not fabrikam's.
        Assert.Equal(2, job.GetProperty("result").GetProperty("Partners").GetArrayLength());
        var contosoView = await contoso.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative));
        Assert.False(contosoView.GetProperty("result").TryGetProperty("Partners", out _), contosoView.GetProperty("result").ToString());
        var contosoList = await contoso.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs", UriKind.Relative));
        Assert.False(contosoList.EnumerateArray().Single(j => j.GetProperty("id").GetGuid() == jobId).GetProperty("result").TryGetProperty("Partners", out _));
    }

    [Theory]
    [InlineData("\"weightDecay\":-1", "Weight decay must be between 0 (none) and 1.")]
    [InlineData("\"earlyStoppingPatience\":500", "Early stopping patience must be between 0 (off) and 100.")]
    [InlineData("\"validationFraction\":0.95", "The validation fraction must be between 0.05 and 0.5 (of the rows that are not test rows).")]
    public async Task PostFineTuning_Returns400WithTheMessage_WhenAModelChoiceIsOutOfRange(string field, string message)
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await scientist.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];
        var body = "{\"name\":\"x\",\"parameters\":{\"baseModelId\":\"" + Guid.NewGuid() + "\",\"targetDomainIds\":[\"" + domains[0].Id + "\"]," + field + "}}";

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/jobs/fine-tuning", UriKind.Relative)) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(FTLPortal.Web.Security.ApiForgeryGuard.HeaderName, "1");
        using var response = await scientist.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}

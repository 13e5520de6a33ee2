using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

/// <summary>
/// The engine of <c>POST /api/jobs/fine-tuning</c> in a portal without plug-ins (this test folder has no libtorch: the
/// TorchSharp engine's own journey runs on the Web output, in Browser.Tests' TorchSharpEngineJobTests).
/// </summary>
public sealed class EngineChoiceApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task PostFineTuning_Returns400ListingTheEngines_WhenTheEngineIsUnknown()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await scientist.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];
        var before = (await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs?kind=FineTuning", UriKind.Relative))).GetArrayLength();

        using var response = await scientist.PostAsJsonAsync(
            new Uri("/api/jobs/fine-tuning", UriKind.Relative),
            new { name = "x", parameters = new { baseModelId = Guid.NewGuid(), targetDomainIds = new[] { domains[0].Id }, engine = "tensorflow" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Equal("There is no training engine 'tensorflow' here. Available: builtin.", detail);
        Assert.Equal(before, (await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs?kind=FineTuning", UriKind.Relative))).GetArrayLength());
    }

    [Fact]
    public void TestOutput_HoldsNoLibTorch_BecauseThePortalLoadsTheEngineAsAPlugIn()
    {
        string output = AppContext.BaseDirectory;

        Assert.False(File.Exists(Path.Combine(output, "TorchSharp.dll")));
        Assert.False(Directory.Exists(Path.Combine(output, "engines")));
        Assert.Empty(Directory.EnumerateFiles(output, "libtorch*", SearchOption.AllDirectories));
    }
}

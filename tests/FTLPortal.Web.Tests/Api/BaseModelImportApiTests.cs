using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;
using FTLPortal.Web.Security;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

/// <summary>POST /api/models/import: the portal's architecture JSON plus weights, checked tensor by tensor.</summary>
public sealed class BaseModelImportApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly ModelArchitecture Architecture = ModelArchitecture.Mlp(4, [8], ["a", "b", "c"]);

    private static byte[] Safetensors(Func<NamedTensor, NamedTensor?>? change = null)
    {
        var weights = SequentialModel.Create(Architecture, seed: 5).GetWeights();
        return SafeTensorsFormat.ToBytes(new WeightSet(weights.Select(t => change is null ? t : change(t)).OfType<NamedTensor>()));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string? name, string? architecture, byte[]? weights, string? format = null, string fileName = "model.safetensors", bool architectureAsFile = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/models/import", UriKind.Relative));
        request.Headers.Add(ApiForgeryGuard.HeaderName, "1");
        var content = new MultipartFormDataContent();
        if (name is not null)
        {
            content.Add(new StringContent(name), "name");
        }

        if (architecture is not null)
        {
            if (architectureAsFile)
            {
                content.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(architecture)), "architecture", "architecture.json");
            }
            else
            {
                content.Add(new StringContent(architecture), "architecture");
            }
        }

        if (weights is not null)
        {
            var file = new ByteArrayContent(weights);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, "weights", fileName);
        }

        if (format is not null)
        {
            content.Add(new StringContent(format), "format");
        }

        request.Content = content;
        return await client.SendAsync(request);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("detail").GetString() ?? "";
    }

    [Fact]
    public async Task Import_Returns201WithLayers_AndTheModelIsListedAsImported()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var file = Safetensors();

        using var response = await PostAsync(client, "torch-import-201", Architecture.ToJson(), file, architectureAsFile: true);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var model = body.RootElement;
        Assert.Equal("Imported", model.GetProperty("origin").GetString());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("sourceDomainId").ValueKind);
        Assert.Equal(["dense1", "relu1", "output"], model.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        Assert.Equal("safetensors", model.GetProperty("import").GetProperty("format").GetString());
        Assert.Equal(PortalFactory.Scientist, model.GetProperty("import").GetProperty("importedBy").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file)), model.GetProperty("import").GetProperty("fileSha256").GetString());
        Assert.Equal(response.Headers.Location?.ToString(), $"/api/models/{model.GetProperty("id").GetGuid()}");

        using var weights = await client.GetAsync(new Uri($"/api/models/{model.GetProperty("id").GetGuid()}/weights.safetensors", UriKind.Relative));
        Assert.Equal(SafeTensorsFormat.FromBytes(file).Sha256(), SafeTensorsFormat.FromBytes(await weights.Content.ReadAsByteArrayAsync()).Sha256());
        using var list = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/models", UriKind.Relative)));
        var listed = Assert.Single(list.RootElement.EnumerateArray(), m => m.GetProperty("name").GetString() == "torch-import-201");
        Assert.Equal("Imported", listed.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task Import_SameNameTwice_TakesTheNextVersion()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Admin);

        using var first = await PostAsync(client, "torch-import-versions", Architecture.ToJson(), Safetensors(), format: "safetensors");
        using var second = await PostAsync(client, "torch-import-versions", Architecture.ToJson(), Safetensors());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        using var a = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        using var b = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal(1, a.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(2, b.RootElement.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Import_Returns400NamingTheTensor_WhenOneIsMissing()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        using var response = await PostAsync(client, "torch-missing", Architecture.ToJson(), Safetensors(t => t.Name == "output.bias" ? null : t));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Tensor 'output.bias' is missing", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Returns400NamingTheTensor_WhenMisshapenOrExtra()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        using var misshapen = await PostAsync(client, "torch-shape", Architecture.ToJson(), Safetensors(t => t.Name == "dense1.weight" ? new NamedTensor(t.Name, [8, 5], new float[40]) : t));
        using var extra = await PostAsync(client, "torch-extra", Architecture.ToJson(), SafeTensorsFormat.ToBytes(new WeightSet(SafeTensorsFormat.FromBytes(Safetensors()).Append(new NamedTensor("head.weight", [2], [1f, 2f])))));

        Assert.Equal(HttpStatusCode.BadRequest, misshapen.StatusCode);
        Assert.Contains("Tensor 'dense1.weight' has shape [8, 5]; the architecture expects [8, 4]", await DetailAsync(misshapen), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, extra.StatusCode);
        Assert.Contains("Tensor 'head.weight' is not part of the architecture", await DetailAsync(extra), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Returns400ListingSupportedKinds_WhenALayerKindIsUnknown()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var json = Architecture.ToJson().Replace("\"relu\"", "\"lstm\"", StringComparison.Ordinal);

        using var response = await PostAsync(client, "torch-lstm", json, Safetensors());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = await DetailAsync(response);
        Assert.Contains("'lstm'", detail, StringComparison.Ordinal);
        Assert.Contains("dense, relu", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Returns400SayingNoReaderIsInstalled_ForAStateDictWithoutThePlugin()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        // A torch.save file is a zip archive; detection sees its signature.
        byte[] zip = [0x50, 0x4B, 3, 4, 20, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6];

        using var detected = await PostAsync(client, "torch-pt", Architecture.ToJson(), zip, fileName: "model.pt");
        using var chosen = await PostAsync(client, "torch-pt", Architecture.ToJson(), zip, format: "state_dict", fileName: "model.pt");

        Assert.Equal(HttpStatusCode.BadRequest, detected.StatusCode);
        Assert.Equal("This portal has no PyTorch reader installed; upload safetensors, or install the TorchSharp engine plug-in.", await DetailAsync(detected));
        Assert.Equal(HttpStatusCode.BadRequest, chosen.StatusCode);
    }

    [Theory]
    [InlineData(null, "arch", "weights", "onnx", "format must be 'safetensors' or 'state_dict'")]
    [InlineData("m", "arch", null, null, "Attach the weights file")]
    [InlineData("m", null, "weights", null, "Attach the architecture")]
    [InlineData("m", "arch", "text", null, "is neither safetensors nor a PyTorch state_dict")]
    [InlineData(" ", "arch", "weights", null, "base model")]
    public async Task Import_Returns400WithTheReason_WhenAFieldIsMissingOrWrong(string? name, string? architecture, string? weights, string? format, string expected)
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var file = weights switch
        {
            "weights" => Safetensors(),
            "text" => "label,x\n1,2\n"u8.ToArray(),
            _ => null,
        };

        using var response = await PostAsync(client, name ?? "m", architecture is null ? null : Architecture.ToJson(), file, format);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await DetailAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PortalFactory.Ops)]
    [InlineData("contoso-admin@ftl.local")]
    public async Task Import_Returns403_ForRolesThatDoNotRunScience(string email)
    {
        using var client = await factory.CreateSignedInClientAsync(email);

        using var response = await PostAsync(client, "torch-403", Architecture.ToJson(), Safetensors());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var list = JsonDocument.Parse(await scientist.GetStringAsync(new Uri("/api/models", UriKind.Relative)));
        Assert.DoesNotContain(list.RootElement.EnumerateArray(), m => m.GetProperty("name").GetString() == "torch-403");
    }

    [Fact]
    public async Task Import_Returns403_WithoutTheCrossSiteRequestHeader()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var content = new MultipartFormDataContent { { new StringContent("m"), "name" } };

        using var response = await client.PostAsync(new Uri("/api/models/import", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(ApiForgeryGuard.HeaderName, await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Returns413AndStoresNothing_WhenTheFileIsOverTheCap()
    {
        using var small = new PortalFactory { Settings = new Dictionary<string, string> { ["Portal:MaxModelImportBytes"] = "300" } };
        using var client = await small.CreateSignedInClientAsync(PortalFactory.Scientist);

        using var response = await PostAsync(client, "torch-big", Architecture.ToJson(), Safetensors());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than the import limit", await DetailAsync(response), StringComparison.Ordinal);
        using var list = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/models", UriKind.Relative)));
        Assert.DoesNotContain(list.RootElement.EnumerateArray(), m => m.GetProperty("name").GetString() == "torch-big");
    }
}

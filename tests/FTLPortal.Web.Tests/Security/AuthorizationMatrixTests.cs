using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FTLPortal.Web.Security;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Security;

/// <summary>
/// Every endpoint of the OpenAPI document × every role, with the expected status in one table. An endpoint without a row
/// (or a row without an endpoint) fails the test, so a new endpoint must be given its expected answers. {domain} is a
/// Contoso domain and {job} a similarity job over Contoso and Fabrikam, so "own" is Contoso's admin and "other" is
/// Northwind's (a partner admin does not see a similarity job that names another partner's domain, so both get 404 for
/// {job}; Ops sees jobs but no domains); {none} is an id that exists nowhere. Writes use bodies the services refuse, so the table does not change
/// what it tests.
/// </summary>
public sealed class AuthorizationMatrixTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly string[] Roles = ["Admin", "Ops", "Scientist", "OwnPartner", "OtherPartner", "Anonymous"];

    // Columns: Admin, Ops, Scientist, OwnPartner (contoso-admin), OtherPartner (northwind-admin), Anonymous.
    private static readonly Dictionary<string, (string Path, string? Body, int[] Expected)> Matrix = new()
    {
        ["GET /api/domains"] = ("/api/domains", null, [200, 200, 200, 200, 200, 401]),
        ["GET /api/domains/{id}"] = ("/api/domains/{domain}", null, [200, 404, 200, 200, 404, 401]),
        ["GET /api/domains/{id}/summary.json"] = ("/api/domains/{domain}/summary.json", null, [200, 404, 200, 200, 404, 401]),
        ["POST /api/domains"] = ("/api/domains", "multipart", [400, 400, 400, 400, 400, 401]),
        ["DELETE /api/domains/{id}"] = ("/api/domains/{none}", null, [404, 404, 404, 404, 404, 401]),
        ["PUT /api/domains/{id}/consent"] = ("/api/domains/{domain}/consent", """{"similarity":true}""", [400, 400, 400, 400, 400, 401]),
        ["GET /api/jobs"] = ("/api/jobs", null, [200, 200, 200, 200, 200, 401]),
        ["GET /api/jobs/{id}"] = ("/api/jobs/{job}", null, [200, 200, 200, 404, 404, 401]),
        ["GET /api/jobs/{id}/rounds"] = ("/api/jobs/{job}/rounds", null, [200, 200, 200, 404, 404, 401]),
        // {job} is a similarity job: no evaluation (404 for everyone); a fine-tuning job's is in EvaluationApiTests.
        ["GET /api/jobs/{id}/evaluation"] = ("/api/jobs/{job}/evaluation", null, [404, 404, 404, 404, 404, 401]),
        ["POST /api/jobs/fine-tuning"] = ("/api/jobs/fine-tuning", """{"name":"m","parameters":{}}""", [400, 400, 400, 400, 400, 401]),
        ["POST /api/jobs/{id}/cancel"] = ("/api/jobs/{none}/cancel", null, [404, 404, 404, 404, 404, 401]),
        ["POST /api/jobs/{id}/clone"] = ("/api/jobs/{none}/clone", null, [404, 404, 404, 404, 404, 401]),
        ["POST /api/jobs/{id}/rerun"] = ("/api/jobs/{none}/rerun", null, [404, 404, 404, 404, 404, 401]),
        ["GET /api/jobs/schedules"] = ("/api/jobs/schedules", null, [200, 200, 200, 200, 200, 401]),
        ["DELETE /api/jobs/schedules/{scheduleId}"] = ("/api/jobs/schedules/{none}", null, [404, 404, 404, 404, 404, 401]),
        ["GET /api/jobs/{id}/model-card.md"] = ("/api/jobs/{job}/model-card.md", null, [404, 404, 404, 404, 404, 401]),
        ["GET /api/jobs/{id}/model-card.json"] = ("/api/jobs/{job}/model-card.json", null, [404, 404, 404, 404, 404, 401]),
        ["GET /api/jobs/{id}/weights.safetensors"] = ("/api/jobs/{job}/weights.safetensors", null, [404, 404, 404, 404, 404, 401]),
        ["GET /api/jobs/{id}/package"] = ("/api/jobs/{job}/package", null, [404, 404, 404, 404, 404, 401]),
        ["POST /api/similarity"] = ("/api/similarity", """{"domainIds":[]}""", [400, 400, 400, 400, 400, 401]),
        ["GET /api/similarity/{jobId}"] = ("/api/similarity/{job}", null, [200, 200, 200, 404, 404, 401]),
        ["GET /api/models"] = ("/api/models", null, [200, 200, 200, 200, 200, 401]),
        ["GET /api/models/{id}"] = ("/api/models/{none}", null, [404, 404, 404, 404, 404, 401]),
        ["GET /api/models/{id}/weights.safetensors"] = ("/api/models/{none}/weights.safetensors", null, [404, 404, 404, 404, 404, 401]),
        ["POST /api/models/pretrain"] = ("/api/models/pretrain", """{"modelName":"m"}""", [400, 400, 400, 400, 400, 401]),
        ["POST /api/models/import"] = ("/api/models/import", "multipart", [400, 403, 400, 403, 403, 401]),
        // Every signed-in role reads the engines; the partners listed are those the caller may see (ParticipantEngineApiTests).
        ["GET /api/engines"] = ("/api/engines", null, [200, 200, 200, 200, 200, 401]),
        ["GET /api/admin/partners"] = ("/api/admin/partners", null, [200, 403, 403, 403, 403, 401]),
        ["POST /api/admin/partners"] = ("/api/admin/partners", """{"name":" "}""", [400, 403, 403, 403, 403, 401]),
        // {partner} is Contoso: its own admin and admins manage its keys; other roles are refused by policy, Northwind gets 404.
        ["GET /api/partners/{partnerId}/agent-keys"] = ("/api/partners/{partner}/agent-keys", null, [200, 403, 403, 200, 404, 401]),
        ["POST /api/partners/{partnerId}/agent-keys"] = ("/api/partners/{partner}/agent-keys", """{"name":" "}""", [400, 403, 403, 400, 404, 401]),
        ["POST /api/partners/{partnerId}/agent-keys/{keyId}/revoke"] = ("/api/partners/{partner}/agent-keys/{none}/revoke", null, [404, 403, 403, 404, 404, 401]),
        ["GET /api/admin/users"] = ("/api/admin/users", null, [200, 403, 403, 403, 403, 401]),
    };

    [Fact]
    public async Task EveryEndpoint_AnswersTheTablesStatus_ForEveryRole()
    {
        using var admin = await factory.CreateSignedInClientAsync(PortalFactory.Admin);
        var documented = await DocumentedEndpointsAsync(admin);
        Assert.Equal(Matrix.Keys.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));

        var domain = await ContosoDomainAsync(admin);
        var job = await SimilarityJobAsync(domain);
        var partner = await ContosoPartnerAsync(admin);
        var clients = new Dictionary<string, HttpClient>
        {
            ["Admin"] = admin,
            ["Ops"] = await factory.CreateSignedInClientAsync(PortalFactory.Ops),
            ["Scientist"] = await factory.CreateSignedInClientAsync(PortalFactory.Scientist),
            ["OwnPartner"] = await factory.CreateSignedInClientAsync("contoso-admin@ftl.local"),
            ["OtherPartner"] = await factory.CreateSignedInClientAsync("northwind-admin@ftl.local"),
            ["Anonymous"] = factory.CreateAnonymousClient(),
        };

        var mismatches = new List<string>();
        foreach (var (key, row) in Matrix)
        {
            var method = new HttpMethod(key.Split(' ')[0]);
            var path = row.Path.Replace("{domain}", domain.ToString(), StringComparison.Ordinal)
                .Replace("{job}", job.ToString(), StringComparison.Ordinal)
                .Replace("{partner}", partner.ToString(), StringComparison.Ordinal)
                .Replace("{none}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
            for (var r = 0; r < Roles.Length; r++)
            {
                using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
                request.Headers.Add(ApiForgeryGuard.HeaderName, "1");
                request.Content = row.Body switch
                {
                    null => null,
                    "multipart" => new MultipartFormDataContent { { new StringContent("matrix"), "name" } },
                    _ => new StringContent(row.Body, Encoding.UTF8, "application/json"),
                };
                using var response = await clients[Roles[r]].SendAsync(request);
                if ((int)response.StatusCode != row.Expected[r])
                {
                    mismatches.Add($"{key} as {Roles[r]}: expected {row.Expected[r]}, got {(int)response.StatusCode}");
                }
            }
        }

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    private static async Task<List<string>> DocumentedEndpointsAsync(HttpClient client)
    {
        var document = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));
        return document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .ToList();
    }

    private static async Task<Guid> ContosoDomainAsync(HttpClient client)
    {
        var domains = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/domains", UriKind.Relative));
        return domains.EnumerateArray().First(d => d.GetProperty("name").GetString() == "contoso-outpatients").GetProperty("id").GetGuid();
    }

    private static async Task<Guid> ContosoPartnerAsync(HttpClient admin)
    {
        var partners = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/partners", UriKind.Relative));
        return partners.EnumerateArray().First(p => p.GetProperty("slug").GetString() == "contoso").GetProperty("id").GetGuid();
    }

    private async Task<Guid> SimilarityJobAsync(Guid contosoDomain)
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/domains", UriKind.Relative));
        var fabrikam = domains.EnumerateArray().First(d => d.GetProperty("name").GetString() == "fabrikam-screening").GetProperty("id").GetGuid();
        using var requested = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = new[] { contosoDomain, fabrikam } });
        requested.EnsureSuccessStatusCode();
        return (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}

using System.Net.Http.Headers;
using System.Text;
using FTLPortal.Web.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Multipart uploads to POST /api/domains as an API client sends them (with the CSRF header unless told otherwise).</summary>
public static class DomainUploads
{
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, string labelColumn, string csv, Guid? partnerId = null, bool withForgeryHeader = true) =>
        await UploadAsync(client, name, labelColumn, Encoding.UTF8.GetBytes(csv), partnerId, withForgeryHeader);

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, string labelColumn, byte[] csv, Guid? partnerId = null, bool withForgeryHeader = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var form = new MultipartFormDataContent();
        if (partnerId is { } partner)
        {
            form.Add(new StringContent(partner.ToString()), "partnerId");
        }

        form.Add(new StringContent(name), "name");
        form.Add(new StringContent(labelColumn), "labelColumn");
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "upload.csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/domains", UriKind.Relative)) { Content = form };
        if (withForgeryHeader)
        {
            request.Headers.Add(ApiForgeryGuard.HeaderName, "1");
        }

        return await client.SendAsync(request);
    }
}

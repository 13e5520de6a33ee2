using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Browser.Tests.Support;

/// <summary>
/// A second origin on the same host: pages served from another loopback port, which the browser treats as the same
/// site as the portal (SameSite=Lax cookies are sent) but a different origin (CORS applies).
/// </summary>
public sealed class AttackerSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AttackerSite(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Serves each (path, html) pair on a free loopback port.</summary>
    public static async Task<AttackerSite> StartAsync(IReadOnlyDictionary<string, string> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        foreach (var (path, html) in pages)
        {
            app.MapGet(path, () => Results.Content(html, "text/html; charset=utf-8"));
        }

        await app.StartAsync();
        return new AttackerSite(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

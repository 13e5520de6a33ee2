using System.Net;

namespace FTLPortal.Benchmarks;

/// <summary>An HttpClient signed in to the portal, with the cookie jar it signed in with (SignalR clients reuse it).</summary>
internal sealed class SignedInClient(HttpClient http, CookieContainer cookies) : IDisposable
{
    public HttpClient Http { get; } = http;

    public CookieContainer Cookies { get; } = cookies;

    public void Dispose() => Http.Dispose();
}

using Microsoft.JSInterop;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Satisfies components that inject IJSRuntime; static rendering never calls it, so any call is a test bug.</summary>
public sealed class UnavailableJSRuntime : IJSRuntime
{
    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
        throw new InvalidOperationException($"JavaScript call '{identifier}' during static rendering.");

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
        throw new InvalidOperationException($"JavaScript call '{identifier}' during static rendering.");
}

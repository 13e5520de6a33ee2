using Microsoft.JSInterop;

namespace FTLPortal.Web.Common;

/// <summary>The signed-in browser's time zone (one per circuit), read once through wwwroot/js/portal.js.</summary>
public sealed class BrowserTimeZone(IJSRuntime js)
{
    private Task<TimeZoneInfo>? _lookup;

    /// <summary>The zone once a lookup has finished, else null.</summary>
    public TimeZoneInfo? Known => _lookup is { IsCompletedSuccessfully: true } done ? done.Result : null;

    /// <summary>Asks the browser (call after the first render: no JavaScript while prerendering).</summary>
    public Task<TimeZoneInfo> GetAsync() => _lookup ??= LookupAsync();

    private async Task<TimeZoneInfo> LookupAsync()
    {
        try
        {
            var id = await js.InvokeAsync<string?>("ftlPortal.timeZone");
            return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (JSException)
        {
            return TimeZoneInfo.Utc;
        }
        catch (InvalidOperationException)
        {
            // No browser behind this renderer (tests, prerendering): stay in UTC.
            return TimeZoneInfo.Utc;
        }
    }
}

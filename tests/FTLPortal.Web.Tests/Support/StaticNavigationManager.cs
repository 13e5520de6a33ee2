using Microsoft.AspNetCore.Components;

namespace FTLPortal.Web.Tests.Support;

/// <summary>A navigation manager fixed at one URL, for rendering components outside a request.</summary>
public sealed class StaticNavigationManager : NavigationManager
{
    public StaticNavigationManager(string uri = "http://localhost/") => Initialize("http://localhost/", uri);
}

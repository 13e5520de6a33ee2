using System.Security.Claims;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Renders a component to HTML with the framework's HtmlRenderer (bUnit does not run here) and parses it with AngleSharp.</summary>
public static class ComponentRenderer
{
    /// <summary>Renders <typeparamref name="TComponent"/> inside a cascading authentication state for <paramref name="user"/>.</summary>
    public static async Task<IDocument> RenderAsync<TComponent>(IServiceProvider services, ClaimsPrincipal user, IDictionary<string, object?>? parameters = null)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            RenderFragment child = builder =>
            {
                builder.OpenComponent<TComponent>(0);
                if (parameters is not null)
                {
                    builder.AddMultipleAttributes(1, parameters!);
                }

                builder.CloseComponent();
            };
            var root = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(CascadingValue<Task<AuthenticationState>>.Value)] = Task.FromResult(new AuthenticationState(user)),
                [nameof(CascadingValue<Task<AuthenticationState>>.ChildContent)] = child,
            });
            var output = await renderer.RenderComponentAsync<CascadingValue<Task<AuthenticationState>>>(root);
            return output.ToHtmlString();
        });
        return new HtmlParser().ParseDocument(html);
    }
}

using FTLPortal.Core.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace FTLPortal.Web.Common;

/// <summary>A page that needs Core's view of the signed-in user before it loads anything.</summary>
public abstract class SignedInComponentBase : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected PortalUserContext CurrentUser { get; private set; } = new("", "", new HashSet<string>(), null);

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            CurrentUser = PortalUserContextFactory.FromPrincipal((await AuthenticationState).User);
        }

        await OnUserReadyAsync();
    }

    /// <summary>Runs once the user is known; load data here instead of in OnInitializedAsync.</summary>
    protected virtual Task OnUserReadyAsync() => Task.CompletedTask;
}

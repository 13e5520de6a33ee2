using FTLPortal.Web.Security;
using MudBlazor;

namespace FTLPortal.Web.Layout;

/// <summary>The portal's sections in menu order; the menu and the home page both read this list.</summary>
public static class PortalSections
{
    public static IReadOnlyList<PortalSection> All { get; } =
    [
        new("Home", "/", Icons.Material.Filled.Home, null, "Overview of your account and what you can do."),
        // Everyone signed in sees domains; the service filters them by partner.
        new("Domains", "/domains", Icons.Material.Filled.Dataset, null, "Partners' labelled datasets and the summaries their agents publish."),
        new("Similarity", "/similarity", Icons.Material.Filled.CompareArrows, PortalPolicies.CanRunScience, "Compare domains by kernel MMD and label distribution."),
        new("Base models", "/models", Icons.Material.Filled.ModelTraining, PortalPolicies.CanRunScience, "Pre-trained models, their layers and freeze plans."),
        // Partner admins see the jobs their partner takes part in.
        new("Jobs", "/jobs", Icons.Material.Filled.Schedule, null, "Federated fine-tuning and other jobs, live."),
        new("Agent keys", "/agent-keys", Icons.Material.Filled.Key, PortalPolicies.CanManageDomains, "Keys for a partner's own agent, running at its site."),
        new("Ops", "/ops", Icons.Material.Filled.MonitorHeart, PortalPolicies.CanOperate, "The scheduler's jobs and triggers; cancel running work."),
        new("Admin", "/admin", Icons.Material.Filled.AdminPanelSettings, PortalPolicies.IsAdmin, "Partners, users and roles; set up a new federation."),
    ];
}

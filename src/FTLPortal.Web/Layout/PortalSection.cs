namespace FTLPortal.Web.Layout;

/// <summary>One entry of the navigation: where it goes and which policy (if any) a user needs to see it.</summary>
public sealed record PortalSection(string Title, string Path, string Icon, string? Policy, string Description);

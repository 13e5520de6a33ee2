namespace FTLPortal.Core.Administration;

/// <summary>One partner of a new federation and the email of its partner admin.</summary>
public sealed record NewFederationPartner(string Name, string AdminEmail);

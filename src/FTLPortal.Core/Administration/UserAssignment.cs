namespace FTLPortal.Core.Administration;

/// <summary>A user's one role and, for partner roles, the partner it acts for.</summary>
public sealed record UserAssignment(string Role, Guid? PartnerId);

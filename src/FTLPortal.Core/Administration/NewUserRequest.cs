namespace FTLPortal.Core.Administration;

/// <summary>What the admin types to create an account; the password is generated.</summary>
public sealed record NewUserRequest(string Email, string DisplayName, string Role, Guid? PartnerId);

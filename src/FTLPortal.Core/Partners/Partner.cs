namespace FTLPortal.Core.Partners;

/// <summary>An organisation taking part in the federation; users and domains belong to one.</summary>
public sealed class Partner
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Name { get; set; }

    /// <summary>Short, URL- and folder-safe name; the in-process agent's storage folder uses it.</summary>
    public required string Slug { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

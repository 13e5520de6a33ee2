namespace FTLPortal.Core.Domains;

/// <summary>What a partner admin submits to register a domain (the file itself travels as a stream).</summary>
public sealed record DomainRegistration(Guid PartnerId, string Name, string LabelColumn, string OriginalFileName, string RegisteredBy);

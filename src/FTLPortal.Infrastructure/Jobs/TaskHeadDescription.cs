namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// One partner's task head in a multitask job's result: its layers and classes. The weights stay with the partner; the
/// class names are the partner's raw label values, so only that partner (and those who may read its domain summary) get them.
/// </summary>
internal sealed record TaskHeadDescription(Guid PartnerId, string PartnerName, Guid DomainId, string DomainName, IReadOnlyList<string> Layers, int ClassCount, IReadOnlyList<string> ClassNames);

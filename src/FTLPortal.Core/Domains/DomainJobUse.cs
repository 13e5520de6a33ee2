using FTLPortal.Core.Jobs;

namespace FTLPortal.Core.Domains;

/// <summary>One job that used a domain (similarity scoring, pre-training or fine-tuning): the domain page's audit list.</summary>
public sealed record DomainJobUse(Guid JobId, string JobName, JobKind Kind, JobStatus Status, string CreatedBy, DateTimeOffset CreatedAt);

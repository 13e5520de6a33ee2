using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Summaries;

namespace FTLPortal.Federation.Remote;

/// <summary>One piece of a domain upload relayed to a remote agent (pieces arrive in order; <see cref="Index"/> 0 starts it).</summary>
public sealed record UploadChunkCall(string UploadId, int Index, byte[] Data);

/// <summary>Registers the upload <see cref="UploadId"/> (sent in chunks before) as a domain.</summary>
public sealed record RegisterDomainCall(string DomainId, string UploadId, DomainUpload Upload, SummaryOptions SummaryOptions);

/// <summary>A call about one domain: summary (with <see cref="SummaryOptions"/>), existence, deletion, preprocessing.</summary>
public sealed record DomainCall(string DomainId, SummaryOptions? SummaryOptions = null, double ValidationFraction = 0);

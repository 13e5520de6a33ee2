using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Data;

namespace FTLPortal.Federation.Remote;

/// <summary>
/// The exceptions of the agent contract as fault kinds on the channel, and back. Only the contract's own exceptions carry their
/// message across; anything else crosses as <see cref="Failed"/> with the exception's type only (its message may name the
/// partner's paths, which stay at the partner's site, in the agent's log).
/// </summary>
public static class AgentFaults
{
    public const string DatasetFormat = nameof(DatasetFormat);
    public const string DomainNotFound = nameof(DomainNotFound);
    public const string IncompatibleDomain = nameof(IncompatibleDomain);
    public const string EngineNotOffered = nameof(EngineNotOffered);
    public const string NotSupported = nameof(NotSupported);
    public const string UpdateRejected = nameof(UpdateRejected);
    public const string SecureAggregationAborted = nameof(SecureAggregationAborted);
    public const string BadRequest = nameof(BadRequest);
    public const string Failed = nameof(Failed);

    /// <summary>The reply that reports <paramref name="exception"/>.</summary>
    public static AgentReply ReplyFor(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var kind = exception switch
        {
            DatasetFormatException => DatasetFormat,
            DomainNotFoundException => DomainNotFound,
            IncompatibleDomainException => IncompatibleDomain,
            EngineNotOfferedException => EngineNotOffered,
            NotSupportedException => NotSupported,
            UpdateRejectedException => UpdateRejected,
            SecureAggregationAbortedException => SecureAggregationAborted,
            ArgumentException or System.Text.Json.JsonException => BadRequest,
            _ => Failed,
        };
        var message = kind == Failed ? $"The agent failed ({exception.GetType().Name}); its own log has the details." : exception.Message;
        return new AgentReply(null, kind, message);
    }

    /// <summary>The exception the portal raises for a fault reply of partner <paramref name="partnerId"/>'s agent.</summary>
    public static Exception ToException(string kind, string? message, string partnerId)
    {
        var text = message ?? "The agent gave no reason.";
        return kind switch
        {
            DatasetFormat => new DatasetFormatException(text),
            DomainNotFound => new DomainNotFoundException(text),
            IncompatibleDomain => new IncompatibleDomainException(text),
            EngineNotOffered => new EngineNotOfferedException(text),
            NotSupported => new NotSupportedException(text),
            UpdateRejected => new UpdateRejectedException(text),
            SecureAggregationAborted => new SecureAggregationAbortedException(text),
            BadRequest => new ArgumentException(text),
            _ => new InvalidOperationException($"The remote agent of partner '{partnerId}' failed: {text}"),
        };
    }
}

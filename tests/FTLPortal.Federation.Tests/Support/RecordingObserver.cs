using System.Collections.Concurrent;
using FTLPortal.Federation.Rounds;

namespace FTLPortal.Federation.Tests.Support;

internal sealed class RecordingObserver : IFederationObserver
{
    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<(int Round, string PartnerId, string Reason)> Dropped { get; } = new();

    public ConcurrentQueue<RoundSummary> Completed { get; } = new();

    public ConcurrentQueue<string> Warnings { get; } = new();

    public Action<int>? OnRoundStarted { get; init; }

    public void Warning(int round, string message) => Warnings.Enqueue(message);

    public void RoundStarted(int round)
    {
        Events.Enqueue($"started {round}");
        OnRoundStarted?.Invoke(round);
    }

    public void ClientCompleted(int round, string partnerId, ClientMetrics metrics) => Events.Enqueue($"client {round} {partnerId}");

    public void ParticipantDropped(int round, string partnerId, string reason)
    {
        Events.Enqueue($"dropped {round} {partnerId}");
        Dropped.Enqueue((round, partnerId, reason));
    }

    public void RoundCompleted(RoundSummary summary, ReadOnlyMemory<byte> globalWeightsSafetensors)
    {
        Events.Enqueue($"completed {summary.Round}");
        Completed.Enqueue(summary);
    }
}

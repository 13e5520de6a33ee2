namespace FTLPortal.Federation.Rounds;

/// <summary>
/// Receives the progress of a federated run. Calls are serialized (never concurrent) but may come from thread-pool threads.
/// An exception thrown by the observer fails the run, so implementations should not throw.
/// </summary>
public interface IFederationObserver
{
    void RoundStarted(int round)
    {
    }

    void ClientCompleted(int round, string partnerId, ClientMetrics metrics)
    {
    }

    void ParticipantDropped(int round, string partnerId, string reason)
    {
    }

    /// <summary>
    /// Called after aggregation, before <see cref="RoundCompleted"/>: the new global model scored by each participant on its
    /// validation rows (the per-round numbers to chart beside the local-training loss of <see cref="ClientCompleted"/>).
    /// </summary>
    void GlobalModelEvaluated(int round, IReadOnlyList<ParticipantEvaluation> evaluations)
    {
    }

    /// <summary>Called after aggregation; <paramref name="globalWeightsSafetensors"/> is the new global model, for checkpoints.</summary>
    void RoundCompleted(RoundSummary summary, ReadOnlyMemory<byte> globalWeightsSafetensors)
    {
    }

    /// <summary>A condition worth showing that does not stop the run by itself (a retried round, the ε budget passed).</summary>
    void Warning(int round, string message)
    {
    }
}

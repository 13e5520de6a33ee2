using FTLPortal.Federation.Communication;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// A federated fine-tuning job: start from <see cref="InitialWeights"/> (safetensors holding every tensor of the
/// architecture), keep <see cref="FrozenLayers"/> fixed, and run rounds <see cref="StartRound"/>..<see cref="Rounds"/>
/// (1-based). To resume after a restart, pass the last checkpoint's weights as <see cref="InitialWeights"/> and the next
/// round as <see cref="StartRound"/>.
/// </summary>
public sealed record FineTuningPlan
{
    public required string ArchitectureJson { get; init; }

    public required byte[] InitialWeights { get; init; }

    public IReadOnlyList<string> FrozenLayers { get; init; } = [];

    /// <summary>The total number of rounds of the job (the last round's number).</summary>
    public required int Rounds { get; init; }

    /// <summary>
    /// Local training per round. Each round trains with seed <c>Local.Seed + round</c> so shuffles differ between rounds
    /// and stay reproducible; its frozen layers are replaced by <see cref="FrozenLayers"/>.
    /// </summary>
    public required TrainingOptions Local { get; init; }

    public required IReadOnlyList<Participant> Participants { get; init; }

    /// <summary>The training engine every agent uses, by name (null: each agent's default); a participant may override it.</summary>
    public string? Engine { get; init; }

    public double ValidationFraction { get; init; } = 0.2;

    public int SplitSeed { get; init; }

    /// <summary>The fewest valid updates a round needs; with fewer the run fails.</summary>
    public int MinParticipants { get; init; } = 1;

    /// <summary>
    /// Early stopping on the global model's validation loss: end the run once this many rounds pass without a lower loss,
    /// and return the best round's weights (<see cref="FederatedRunResult.BestRound"/>); 0 runs every round. Needs
    /// <see cref="FederatedTrainerOptions.EvaluateGlobalModelEachRound"/>.
    /// </summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>The first round to run (1 for a new job).</summary>
    public int StartRound { get; init; } = 1;

    /// <summary>
    /// Identifies the run to the agents, which keep each partner's local layers (FedBN: batch-norm layers with local
    /// statistics) under it between rounds. A new id by default; pass a stable one (e.g. the job id) so that a resumed
    /// run finds the state its agents still hold.
    /// </summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// The fraction of participants asked to train each round (Flower's fraction_fit); at least
    /// <see cref="MinParticipants"/> are asked. 1 asks everyone (the default).
    /// </summary>
    public double ClientFraction { get; init; } = 1.0;

    /// <summary>Seeds the per-round choice of participants (with the round and attempt numbers), so a rerun picks the same ones.</summary>
    public int SelectionSeed { get; init; }

    /// <summary>
    /// How long a round waits for updates; the round closes with those in by then (at least <see cref="MinParticipants"/>),
    /// the late ones are dropped. Null uses the trainer's per-call client timeout.
    /// </summary>
    public TimeSpan? RoundDeadline { get; init; }

    /// <summary>How many times a round is tried (each with a fresh choice of participants) before the run fails for lack of updates.</summary>
    public int MaxRoundAttempts { get; init; } = 1;

    /// <summary>The largest L2 distance an update may move the global weights; larger ones are rejected. Null for no bound.</summary>
    public double? MaxUpdateNorm { get; init; }

    /// <summary>
    /// The coordinator's state from the last checkpoint (<see cref="RoundSummary.ServerState"/>: server optimizer moments,
    /// adaptive DP clip bound), so a resumed run continues exactly. Null for a new run.
    /// </summary>
    public byte[]? ServerState { get; init; }

    /// <summary>How partners send their updates: float32 (default), or the change quantized to float16 or int8.</summary>
    public UpdateEncoding UpdateEncoding { get; init; }

    /// <summary>
    /// FedPer (Arivazhagan et al. 2019): layers each partner keeps for itself (typically the output head). They are
    /// trained locally every round, kept by the agent under <see cref="RunId"/>, never sent and never averaged; only the
    /// other trainable layers (the backbone) are aggregated. Evaluations use each partner's own head.
    /// </summary>
    public IReadOnlyList<string> PersonalLayers { get; init; } = [];

    /// <summary>
    /// FedRep (Collins et al. 2021): with <see cref="PersonalLayers"/>, each round first trains only the personal layers (the
    /// head) for this many epochs with the backbone frozen, then the backbone for <c>Local.Epochs</c> with the head frozen.
    /// 0 is FedPer (both trained together).
    /// </summary>
    public int PersonalHeadEpochs { get; init; }

    /// <summary>
    /// Multitask: every partner trains its own task head, the output layer re-sized to its domain's classes (so domains
    /// with different label sets, even different numbers of classes, take part), kept with it like <see cref="PersonalLayers"/>
    /// (which must include the output layer); only the backbone is aggregated and every evaluation uses the partner's head.
    /// <c>Local.Seed</c> and the domain id seed each head.
    /// </summary>
    public bool TaskHeads { get; init; }

    /// <summary>Optional reaction to negative transfer during the rounds (null: none; needs the per-round global evaluation).</summary>
    public NegativeTransferGuard? NegativeTransfer { get; init; }
}

namespace FTLPortal.Federation.Rounds;

/// <summary>What a participant flagged for negative transfer during the rounds does.</summary>
public enum NegativeTransferResponse
{
    /// <summary>From the next round it keeps its head (the last trainable layer) local: trained and kept by it, never sent.</summary>
    Personalize,

    /// <summary>
    /// It leaves the remaining rounds and falls back to its local-only model (the flag says that one is clearly better);
    /// the others go on without it.
    /// </summary>
    Leave,
}

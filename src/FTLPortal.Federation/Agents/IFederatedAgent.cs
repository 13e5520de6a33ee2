using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// The partner-side worker: the only component that reads a partner's rows. Everything it returns (summaries, weights,
/// metrics) is what may leave the partner. Requests and results are plain records that round-trip through
/// System.Text.Json, so an HTTP agent can implement the same contract.
/// </summary>
public interface IFederatedAgent
{
    string PartnerId { get; }

    /// <summary>The training engines this agent offers, by name (a request naming another is refused).</summary>
    IReadOnlyList<string> EngineNames => [Learning.Engines.BuiltInEngine.EngineName];

    /// <summary>
    /// Parses and validates <paramref name="csv"/>, stores it in the agent's private storage only if it is valid (replacing a
    /// domain of the same id), and returns its summary. Throws <see cref="Learning.Data.DatasetFormatException"/> on bad
    /// input, leaving nothing behind.
    /// </summary>
    Task<DomainSummary> RegisterDomainAsync(
        string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct);

    /// <summary>
    /// As <see cref="RegisterDomainAsync(string, Stream, string, SummaryOptions, CancellationToken)"/>, reading the file as
    /// <paramref name="upload"/> says (the label column and the columns to one-hot encode). Agents that cannot encode
    /// categories refuse an upload that asks for it.
    /// </summary>
    Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, DomainUpload upload, SummaryOptions summaryOptions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return upload.EncodesCategories
            ? throw new NotSupportedException($"The agent of partner '{PartnerId}' does not one-hot encode categorical columns.")
            : RegisterDomainAsync(domainId, csv, upload.LabelColumn, summaryOptions, ct);
    }

    /// <summary>Summarizes a registered domain. Throws <see cref="DomainNotFoundException"/> for an unknown id.</summary>
    Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct);

    Task<bool> HasDomainAsync(string domainId, CancellationToken ct);

    /// <summary>Deletes the domain's stored data; does nothing when the domain does not exist.</summary>
    Task DeleteDomainAsync(string domainId, CancellationToken ct);

    /// <summary>Trains a fresh MLP on the domain (train split, standardized with train statistics) and evaluates it on the validation split.</summary>
    Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct);

    /// <summary>
    /// One round of local training from the global weights; the returned update holds only the tensors of the layers
    /// that are neither frozen nor local (FedBN layers stay with the partner, kept per <see cref="LocalTrainingRequest.RunId"/>).
    /// </summary>
    Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct);

    /// <summary>
    /// Evaluates the given weights on the domain's validation (or, with <see cref="EvaluationRequest.Split"/>, test) rows of
    /// its fixed split (the same split every job uses); with
    /// <see cref="EvaluationRequest.RunId"/>, the domain's own local layers kept for that run replace those in the weights.
    /// </summary>
    Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct);

    /// <summary>
    /// The domain's preprocessing (feature names, standardization of its fixed train rows) for a portable model package.
    /// Agents that cannot tell it throw <see cref="NotSupportedException"/>.
    /// </summary>
    Task<DomainPreprocessing> GetPreprocessingAsync(string domainId, double validationFraction, CancellationToken ct) =>
        throw new NotSupportedException($"The agent of partner '{PartnerId}' does not publish its preprocessing.");

    /// <summary>
    /// Whether this agent takes part in secure aggregation (the four calls below, in order, per
    /// <see cref="SecureSession"/>). The trainer refuses a secure run up front when an agent does not.
    /// </summary>
    bool SupportsSecureAggregation => false;

    /// <summary>Secure aggregation step 0: fresh public keys for the session (the same ones again for a repeated call).</summary>
    Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) => throw NoSecureAggregation();

    /// <summary>Secure aggregation step 1: the sealed shares of this client's secrets for the other clients of the roster.</summary>
    Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) => throw NoSecureAggregation();

    /// <summary>
    /// Secure aggregation step 2: trains as <see cref="TrainLocalAsync"/> does and returns only the masked fixed-point
    /// change (see <see cref="SecureTrainingRequest"/>); throws <see cref="Updates.UpdateRejectedException"/> instead of
    /// sending an update with non-finite values.
    /// </summary>
    Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct) => throw NoSecureAggregation();

    /// <summary>Secure aggregation step 3: the shares that unmask the survivors' sum (once per session).</summary>
    Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) => throw NoSecureAggregation();

    private NotSupportedException NoSecureAggregation() =>
        new($"The agent of partner '{PartnerId}' does not take part in secure aggregation.");
}

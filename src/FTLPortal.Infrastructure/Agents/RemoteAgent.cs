using System.Text.Json;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Remote;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;
using Microsoft.AspNetCore.SignalR;

namespace FTLPortal.Infrastructure.Agents;

/// <summary>
/// A partner's agent at its own site, reached over its live connection to the agents hub (SignalR client results). With no
/// connection, or when the connection drops mid-call, a call fails with <see cref="HttpRequestException"/> as an unreachable
/// in-process agent's would, so the round loop drops the partner and goes on. Uploads are relayed in
/// <see cref="AgentChannel.UploadChunkBytes"/> pieces.
/// </summary>
internal sealed class RemoteAgent(Guid partnerId, string partnerSlug, RemoteAgentConnections connections) : IFederatedAgent
{
    public string PartnerId { get; } = partnerId.ToString();

    public IReadOnlyList<string> EngineNames => connections.Of(partnerId)?.EngineNames ?? [Learning.Engines.BuiltInEngine.EngineName];

    public bool SupportsSecureAggregation => connections.Of(partnerId)?.SupportsSecureAggregation ?? false;

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        RegisterDomainAsync(domainId, csv, new DomainUpload(labelColumn), summaryOptions, ct);

    public async Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, DomainUpload upload, SummaryOptions summaryOptions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var connection = Connection();
        var uploadId = Guid.NewGuid().ToString("N");
        var buffer = new byte[AgentChannel.UploadChunkBytes];
        var index = 0;
        int read;
        do
        {
            read = await csv.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            if (read > 0 || index == 0)
            {
                await CallAsync<bool>(connection, AgentChannel.UploadChunk, new UploadChunkCall(uploadId, index++, buffer[..read]), ct);
            }
        }
        while (read == buffer.Length);

        return await CallAsync<DomainSummary>(connection, AgentChannel.RegisterDomain, new RegisterDomainCall(domainId, uploadId, upload, summaryOptions), ct);
    }

    public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) =>
        CallAsync<DomainSummary>(AgentChannel.GetSummary, new DomainCall(domainId, options), ct);

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => CallAsync<bool>(AgentChannel.HasDomain, new DomainCall(domainId), ct);

    public Task DeleteDomainAsync(string domainId, CancellationToken ct) => CallAsync<bool>(AgentChannel.DeleteDomain, new DomainCall(domainId), ct);

    /// <summary>Epoch progress stays at the partner's site: the channel carries only the result.</summary>
    public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) =>
        CallAsync<PretrainResult>(AgentChannel.Pretrain, request, ct);

    // The agent at the site does not know the portal's id for its partner; the update is the portal's partner's.
    public async Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct) =>
        await CallAsync<ModelUpdate>(AgentChannel.TrainLocal, request, ct) with { PartnerId = PartnerId };

    public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) => CallAsync<EvaluationResult>(AgentChannel.Evaluate, request, ct);

    public Task<DomainPreprocessing> GetPreprocessingAsync(string domainId, double validationFraction, CancellationToken ct) =>
        CallAsync<DomainPreprocessing>(AgentChannel.GetPreprocessing, new DomainCall(domainId, ValidationFraction: validationFraction), ct);

    public Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) => CallAsync<KeyAdvertisement>(AgentChannel.AdvertiseKeys, request, ct);

    public Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) =>
        CallAsync<IReadOnlyList<EncryptedShares>>(AgentChannel.ShareKeys, request, ct);

    public async Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct) =>
        await CallAsync<MaskedModelUpdate>(AgentChannel.TrainMasked, request, ct) with { PartnerId = PartnerId };

    public Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) => CallAsync<UnmaskingResponse>(AgentChannel.Unmask, request, ct);

    private Task<T> CallAsync<T>(string method, object request, CancellationToken ct) => CallAsync<T>(Connection(), method, request, ct);

    private RemoteAgentConnection Connection() =>
        connections.Of(partnerId) ?? throw new HttpRequestException($"The agent of partner '{partnerSlug}' is not connected (agent unreachable): start FTLPortal.Agent serve at the partner's site.");

    private async Task<T> CallAsync<T>(RemoteAgentConnection connection, string method, object request, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(request, request.GetType(), FederationJson.Options);
        AgentReply reply;
        try
        {
            reply = await connection.Client.InvokeAsync<AgentReply>(method, json, ct);
        }
        catch (Exception ex) when (ex is IOException or HubException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            // The connection ended (or was replaced) while the agent was working: the same as an agent that vanished.
            throw new HttpRequestException($"The agent of partner '{partnerSlug}' disconnected during {method} (agent unreachable).", ex);
        }

        if (reply.FaultKind is { } kind)
        {
            throw AgentFaults.ToException(kind, reply.Fault, partnerSlug);
        }

        return JsonSerializer.Deserialize<T>(reply.Result ?? "null", FederationJson.Options)
            ?? throw new InvalidOperationException($"The agent of partner '{partnerSlug}' answered {method} with nothing.");
    }
}

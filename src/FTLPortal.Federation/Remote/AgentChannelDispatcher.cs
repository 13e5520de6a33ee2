using System.Text.Json;
using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Data;

namespace FTLPortal.Federation.Remote;

/// <summary>
/// The agent's side of the channel without the network: turns one call (method name and JSON request) into a call on the
/// partner's own <see cref="IFederatedAgent"/> and its answer (or fault) into an <see cref="AgentReply"/>. Relayed uploads are
/// kept in <c>uploads/</c> of the agent's folder (mode 700) until registered, and never grow past the agent's upload limit.
/// </summary>
public sealed class AgentChannelDispatcher
{
    private readonly IFederatedAgent _agent;
    private readonly string _uploadFolder;
    private readonly long _maxUploadBytes;

    public AgentChannelDispatcher(IFederatedAgent agent, string uploadFolder, long maxUploadBytes)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(uploadFolder);
        _agent = agent;
        _uploadFolder = Path.GetFullPath(uploadFolder);
        _maxUploadBytes = maxUploadBytes;
        PrivateFiles.CreateFolder(_uploadFolder);
        // A relayed upload cut off by a restart was never registered: it goes.
        foreach (var stale in Directory.EnumerateFiles(_uploadFolder, "*.part"))
        {
            File.Delete(stale);
        }
    }

    public AgentAnnouncement Announcement(string agentVersion) => new(_agent.EngineNames, _agent.SupportsSecureAggregation, agentVersion);

    public async Task<AgentReply> HandleAsync(string method, string json, CancellationToken ct)
    {
        try
        {
            object? result = method switch
            {
                AgentChannel.UploadChunk => await ReceiveChunkAsync(Read<UploadChunkCall>(json), ct),
                AgentChannel.RegisterDomain => await RegisterAsync(Read<RegisterDomainCall>(json), ct),
                AgentChannel.GetSummary => await SummaryAsync(Read<DomainCall>(json), ct),
                AgentChannel.HasDomain => await _agent.HasDomainAsync(Read<DomainCall>(json).DomainId, ct),
                AgentChannel.DeleteDomain => await DeleteAsync(Read<DomainCall>(json), ct),
                AgentChannel.Pretrain => await _agent.PretrainAsync(Read<PretrainRequest>(json), progress: null, ct),
                AgentChannel.TrainLocal => await _agent.TrainLocalAsync(Read<LocalTrainingRequest>(json), ct),
                AgentChannel.Evaluate => await _agent.EvaluateAsync(Read<EvaluationRequest>(json), ct),
                AgentChannel.GetPreprocessing => await PreprocessingAsync(Read<DomainCall>(json), ct),
                AgentChannel.AdvertiseKeys => await _agent.AdvertiseKeysAsync(Read<SecureKeysRequest>(json), ct),
                AgentChannel.ShareKeys => await _agent.ShareKeysAsync(Read<SecureSharesRequest>(json), ct),
                AgentChannel.TrainMasked => await _agent.TrainMaskedAsync(Read<SecureTrainingRequest>(json), ct),
                AgentChannel.Unmask => await _agent.UnmaskAsync(Read<SecureUnmaskRequest>(json), ct),
                _ => throw new NotSupportedException($"This agent does not know the call '{method}'."),
            };
            return new AgentReply(JsonSerializer.Serialize(result, result?.GetType() ?? typeof(object), FederationJson.Options), null, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return AgentFaults.ReplyFor(ex);
        }
    }

    private Task<Learning.Summaries.DomainSummary> SummaryAsync(DomainCall call, CancellationToken ct) =>
        _agent.GetSummaryAsync(call.DomainId, call.SummaryOptions ?? new(), ct);

    private Task<DomainPreprocessing> PreprocessingAsync(DomainCall call, CancellationToken ct) =>
        _agent.GetPreprocessingAsync(call.DomainId, call.ValidationFraction, ct);

    private static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, FederationJson.Options) ?? throw new ArgumentException($"The call carried no {typeof(T).Name}.");

    private async Task<bool> ReceiveChunkAsync(UploadChunkCall call, CancellationToken ct)
    {
        var path = UploadPath(call.UploadId);
        if (call.Index == 0)
        {
            File.Delete(path);
        }
        else if (!File.Exists(path))
        {
            throw new ArgumentException("That upload was not started (its first piece is missing).");
        }

        await using var file = call.Index == 0 ? PrivateFiles.CreateNew(path, useAsync: true) : new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        // One byte past the limit is enough for the agent's own check to refuse the file with its usual message.
        var room = Math.Max(0, _maxUploadBytes + 1 - file.Length);
        await file.WriteAsync(call.Data.AsMemory(0, (int)Math.Min(room, call.Data.Length)), ct);
        return true;
    }

    private async Task<Learning.Summaries.DomainSummary> RegisterAsync(RegisterDomainCall call, CancellationToken ct)
    {
        var path = UploadPath(call.UploadId);
        if (!File.Exists(path))
        {
            throw new DatasetFormatException("The upload did not reach the agent.");
        }

        try
        {
            await using var csv = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 81920, useAsync: true);
            return await _agent.RegisterDomainAsync(call.DomainId, csv, call.Upload, call.SummaryOptions, ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<bool> DeleteAsync(DomainCall call, CancellationToken ct)
    {
        await _agent.DeleteDomainAsync(call.DomainId, ct);
        return true;
    }

    private string UploadPath(string uploadId) =>
        uploadId is { Length: 32 } && uploadId.All(char.IsAsciiHexDigitLower)
            ? Path.Combine(_uploadFolder, uploadId + ".part")
            : throw new ArgumentException("An upload id is 32 lower-case hex digits.");
}

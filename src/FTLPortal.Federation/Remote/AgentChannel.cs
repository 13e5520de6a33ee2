namespace FTLPortal.Federation.Remote;

/// <summary>
/// The agent channel's names and sizes, shared by the portal and <c>FTLPortal.Agent serve</c>. The portal calls the agent
/// (SignalR client results): every method takes one JSON string (the contract's request, in <see cref="Agents.FederationJson"/>)
/// and answers an <see cref="AgentReply"/>. The agent calls <see cref="Announce"/> on the portal once connected.
/// </summary>
public static class AgentChannel
{
    public const string HubPath = "/hubs/agents";

    /// <summary>The environment variable the agent reads its key from (so it is not in the process list).</summary>
    public const string KeyVariable = "FTL_AGENT_KEY";

    /// <summary>Upload bytes per <see cref="UploadChunk"/> call (1 MiB; about 1.4 MB as base64 in the message).</summary>
    public const int UploadChunkBytes = 1024 * 1024;

    /// <summary>Agent to portal, once after each (re)connection: what the agent offers (<see cref="AgentAnnouncement"/>).</summary>
    public const string Announce = nameof(Announce);

    public const string UploadChunk = nameof(UploadChunk);
    public const string RegisterDomain = nameof(RegisterDomain);
    public const string GetSummary = nameof(GetSummary);
    public const string HasDomain = nameof(HasDomain);
    public const string DeleteDomain = nameof(DeleteDomain);
    public const string Pretrain = nameof(Pretrain);
    public const string TrainLocal = nameof(TrainLocal);
    public const string Evaluate = nameof(Evaluate);
    public const string GetPreprocessing = nameof(GetPreprocessing);
    public const string AdvertiseKeys = nameof(AdvertiseKeys);
    public const string ShareKeys = nameof(ShareKeys);
    public const string TrainMasked = nameof(TrainMasked);
    public const string Unmask = nameof(Unmask);

    /// <summary>Every method the portal may call on an agent.</summary>
    public static IReadOnlyList<string> AgentMethods { get; } =
    [
        UploadChunk, RegisterDomain, GetSummary, HasDomain, DeleteDomain, Pretrain, TrainLocal, Evaluate, GetPreprocessing,
        AdvertiseKeys, ShareKeys, TrainMasked, Unmask,
    ];
}

using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Similarity;

namespace FTLPortal.Web.Api;

/// <summary>A domain's metadata and the readable part of its agent's summary (never rows).</summary>
internal sealed record DomainDetails(
    Guid Id,
    Guid PartnerId,
    string Name,
    string LabelColumn,
    string OriginalFileName,
    int Rows,
    int FeatureCount,
    int ClassCount,
    bool SimilarityConsent,
    bool TrainingConsent,
    string RegisteredBy,
    DateTimeOffset RegisteredAt,
    DomainStatistics Statistics)
{
    public static DomainDetails From(Domain d) => new(
        d.Id, d.PartnerId, d.Name, d.LabelColumn, d.OriginalFileName, d.Rows, d.FeatureCount, d.ClassCount,
        d.SimilarityConsent, d.TrainingConsent, d.RegisteredBy, d.RegisteredAt, DomainStatistics.FromSummaryJson(d.SummaryJson));
}

/// <summary>A portal job as the API shows it; parameters and result are the job's own JSON.</summary>
internal sealed record JobDetails(
    Guid Id,
    JobKind Kind,
    string Name,
    JobStatus Status,
    double Progress,
    string? ProgressMessage,
    JsonElement? Parameters,
    JsonElement? Result,
    string? Error,
    int CurrentRound,
    int TotalRounds,
    int Attempts,
    IReadOnlyList<Guid> InvolvedPartners,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? ScheduledFor,
    Guid? ScheduleId,
    Guid? ClonedFromId,
    bool CancelRequested)
{
    public static JobDetails From(PortalJob j) => new(
        j.Id, j.Kind, j.Name, j.Status, j.Progress, j.ProgressMessage, ParseJson(j.ParametersJson), ParseJson(j.ResultJson), j.Error,
        j.CurrentRound, j.TotalRounds, j.Attempts,
        j.InvolvedPartners.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => Guid.TryParse(p, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList(),
        j.CreatedBy, j.CreatedAt, j.StartedAt, j.FinishedAt, j.ScheduledFor, j.ScheduleId, j.ClonedFromId, j.IsCancelRequested);

    internal static JsonElement? ParseJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A similarity job and, once it has completed, its distance matrices.</summary>
internal sealed record SimilarityJobDetails(JobDetails Job, SimilarityResult? Result);

/// <summary>Body of <c>POST /api/jobs/fine-tuning</c>.</summary>
/// <summary>A fine-tuning request; without <paramref name="Timing"/> it runs now.</summary>
// Name and Timing are optional in the JSON body (a generated name, run now); Parameters is required.
internal sealed record FineTuningRequest(FineTuningParameters Parameters, string? Name = null, JobTiming? Timing = null);

/// <summary><c>GET /api/engines</c>: the portal's engines, and which of them each visible partner's agent offers.</summary>
internal sealed record EnginesView(IReadOnlyList<EngineChoice> Engines, IReadOnlyList<PartnerEngineOffer> Partners);

/// <summary>A recurring schedule as the API shows it.</summary>
internal sealed record ScheduleDetails(Guid Id, JobKind Kind, string Name, string Cron, string TimeZoneId, DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt, Guid? LastJobId, string? LastError, string CreatedBy)
{
    public static ScheduleDetails From(RecurringSchedule s) => new(s.Id, s.Kind, s.Name, s.Cron, s.TimeZoneId, s.NextRunAt, s.LastRunAt, s.LastJobId, s.LastError, s.CreatedBy);
}

/// <summary>A row of the base model list; imported models have no source domain (null).</summary>
internal sealed record BaseModelListItem(Guid Id, string Name, int Version, BaseModelOrigin Origin, Guid? SourceDomainId, string? SourceDomainName, Guid? PretrainingJobId, double ValidationAccuracy, double ValidationLoss, int TrainRows, DateTimeOffset CreatedAt)
{
    public static BaseModelListItem From(BaseModel m) => new(
        m.Id, m.Name, m.Version, m.Origin, m.HasSourceDomain ? m.SourceDomainId : null, m.HasSourceDomain ? m.SourceDomainName : null, m.PretrainingJobId,
        m.ValidationAccuracy, m.ValidationLoss, m.TrainRows, m.CreatedAt);
}

/// <summary>Where an imported model's weights came from: who uploaded which file (SHA-256 of the upload) in which format.</summary>
internal sealed record BaseModelImportDetails(string? ImportedBy, string? FileSha256, string? Format);

/// <summary>A base model with its named layers (what the freeze plan chooses from).</summary>
internal sealed record BaseModelDetails(
    Guid Id,
    string Name,
    int Version,
    BaseModelOrigin Origin,
    Guid? SourceDomainId,
    string? SourceDomainName,
    Guid? PretrainingJobId,
    BaseModelImportDetails? Import,
    JsonElement? Architecture,
    IReadOnlyList<ModelLayer> Layers,
    string WeightsSha256,
    double ValidationAccuracy,
    double ValidationLoss,
    int TrainRows,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string>? ImportNotes = null)
{
    public static BaseModelDetails From(BaseModel m, IReadOnlyList<string>? importNotes = null) => new(
        m.Id, m.Name, m.Version, m.Origin, m.HasSourceDomain ? m.SourceDomainId : null, m.HasSourceDomain ? m.SourceDomainName : null, m.PretrainingJobId,
        m.IsImported ? new BaseModelImportDetails(m.ImportedBy, m.ImportFileSha256, m.ImportFormat) : null,
        JobDetails.ParseJson(m.ArchitectureJson), ParseLayers(m.LayersJson), m.WeightsSha256, m.ValidationAccuracy, m.ValidationLoss, m.TrainRows, m.CreatedAt,
        importNotes);

    private static List<ModelLayer> ParseLayers(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<List<ModelLayer>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>POST /api/admin/partners: the new partner's display name.</summary>
internal sealed record NewPartnerBody(string Name);

/// <summary>POST /api/partners/{partnerId}/agent-keys: what the key is for (e.g. the site or machine that runs the agent).</summary>
internal sealed record NewAgentKeyBody(string Name);

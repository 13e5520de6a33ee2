namespace FTLPortal.Core.BaseModels;

/// <summary>Either the stored model (with what was converted on the way) or the reason nothing was stored.</summary>
public sealed record BaseModelImportResult(BaseModel? Model, string? Error, BaseModelImportRefusal Refusal, IReadOnlyList<string> Notes)
{
    public bool Succeeded => Model is not null;

    public static BaseModelImportResult Success(BaseModel model, IReadOnlyList<string> notes) => new(model, null, BaseModelImportRefusal.None, notes);

    public static BaseModelImportResult Failure(BaseModelImportRefusal refusal, string error) => new(null, error, refusal, []);
}

using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Records imports (reading the whole stream, as the real service does) and answers with <see cref="Answer"/>; refuses by default.</summary>
public sealed class FakeBaseModelImportService : IBaseModelImportService
{
    public List<(BaseModelImport Request, long Bytes)> Requests { get; } = [];

    public Func<BaseModelImport, BaseModelImportResult>? Answer { get; set; }

    /// <summary>When set, each import waits for it after reading the stream (to see the form while a request is in flight).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public async Task<BaseModelImportResult> ImportAsync(PortalUserContext user, BaseModelImport request, Stream weights, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await weights.CopyToAsync(buffer, cancellationToken);
        Requests.Add((request, buffer.Length));
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        return Answer?.Invoke(request) ?? BaseModelImportResult.Failure(BaseModelImportRefusal.Invalid, "Refused by the test.");
    }
}

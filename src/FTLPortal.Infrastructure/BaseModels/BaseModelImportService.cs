using System.Globalization;
using System.Security.Cryptography;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Naming;
using FTLPortal.Core.Security;
using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Learning.Import;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.BaseModels;

/// <summary>
/// Imports a base model: the architecture JSON plus safetensors (read by Learning) or a torch.save state_dict (read by an
/// <see cref="IStateDictReader"/> that an engine plug-in registers; without one such files are refused). The checked float32
/// tensors are stored as the portal's safetensors, as the next version of the name, and the model records who imported
/// which file (its SHA-256) in which format. Imported models carry no domain's facts.
/// </summary>
internal sealed class BaseModelImportService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IArtifactStore artifacts,
    BaseModelImportLimits limits,
    IEnumerable<IStateDictReader> stateDictReaders) : IBaseModelImportService
{
    public const string NoReaderMessage =
        "This portal has no PyTorch reader installed; upload safetensors, or install the TorchSharp engine plug-in.";

    public async Task<BaseModelImportResult> ImportAsync(PortalUserContext user, BaseModelImport request, Stream weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(weights);
        if (!user.CanRunScience)
        {
            return BaseModelImportResult.Failure(BaseModelImportRefusal.Forbidden, "Only data scientists and admins may import base models.");
        }

        if (NameRule.Check(request.Name, "base model", maxLength: 100) is { IsValid: false } badName)
        {
            return Invalid(badName.Error!);
        }

        byte[]? file = await ReadCappedAsync(weights, limits.MaxUploadBytes, cancellationToken);
        if (file is null)
        {
            return BaseModelImportResult.Failure(
                BaseModelImportRefusal.TooLarge,
                $"The weights file is larger than the import limit of {Mebibytes(limits.MaxUploadBytes)} (Portal:MaxModelImportBytes).");
        }

        if (file.Length == 0)
        {
            return Invalid("Attach the weights file (safetensors or a PyTorch state_dict).");
        }

        ImportedWeightsFormat? format = request.Format switch
        {
            BaseModelWeightsFormat.Safetensors => ImportedWeightsFormat.Safetensors,
            BaseModelWeightsFormat.StateDict => ImportedWeightsFormat.PyTorchStateDict,
            _ => BaseModelImporter.DetectFormat(file.AsSpan(0, Math.Min(16, file.Length))),
        };
        if (format is null)
        {
            return Invalid($"'{request.FileName}' is neither safetensors nor a PyTorch state_dict (torch.save); check the file or choose its format.");
        }

        IStateDictReader? reader = stateDictReaders.FirstOrDefault();
        if (format == ImportedWeightsFormat.PyTorchStateDict && reader is null)
        {
            return Invalid(NoReaderMessage);
        }

        ImportedBaseModel imported;
        try
        {
            imported = BaseModelImporter.Import(request.ArchitectureJson, file, format.Value, reader);
        }
        catch (ModelImportException ex)
        {
            return Invalid(ex.Message);
        }

        var model = new BaseModel
        {
            Name = request.Name.Trim(),
            Origin = BaseModelOrigin.Imported,
            ArchitectureJson = imported.Architecture.ToJson(),
            LayersJson = BaseModelLayers.Json(imported.Architecture),
            WeightsArtifact = "",
            WeightsSha256 = imported.Weights.Sha256(),
            ImportedBy = user.Email,
            ImportFileSha256 = Convert.ToHexStringLower(SHA256.HashData(file)),
            ImportFormat = format == ImportedWeightsFormat.Safetensors ? "safetensors" : "state_dict",
        };
        model.WeightsArtifact = $"models/{model.Id}/weights.safetensors";
        // Weights first: a model row never points at a missing file. A failed insert leaves only an unreferenced artifact.
        await artifacts.SaveAsync(model.WeightsArtifact, SafeTensorsFormat.ToBytes(imported.Weights), cancellationToken);
        await BaseModelVersions.SaveAsNextVersionAsync(dbFactory, model, cancellationToken);
        return BaseModelImportResult.Success(model, imported.Notes);
    }

    private static BaseModelImportResult Invalid(string error) => BaseModelImportResult.Failure(BaseModelImportRefusal.Invalid, error);

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>The whole stream, or null as soon as it passes <paramref name="limit"/> bytes (the rest is not read).</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream source, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Security;
using FTLPortal.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Security;

/// <summary>
/// Everything the portal writes stays its own user's: after a sign-in (Data Protection keys), a pre-training and a completed
/// fine-tuning job (checkpoints, weights, model card, package), no file under the data folder is readable, writable or
/// executable by group or others, and every folder is mode 700.
/// </summary>
public sealed class DataFolderModeTests
{
    private const UnixFileMode Folder700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly PortalUserContext Scientist = new("scientist", PortalFactory.Scientist, new HashSet<string> { PortalRoles.DataScientist }, null);

    [Fact]
    public async Task DataFolder_HasOnlyOwnerOnlyFilesAndFolders700_AfterAFineTuningJobWithModelCardAndPackage()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var factory = new PortalFactory();
        using (await factory.CreateSignedInClientAsync(PortalFactory.Scientist))
        {
            // Signing in writes the Data Protection key ring.
        }

        var jobs = factory.Services.GetRequiredService<IJobService>();
        var domains = await factory.Services.GetRequiredService<IDomainService>().ListAsync(Scientist, default);
        var pretraining = await jobs.RequestPretrainingAsync(Scientist, new PretrainingParameters { SourceDomainId = domains[0].Id, ModelName = "modes", HiddenSizes = [8], Epochs = 1 }, default);
        Assert.True(pretraining.Job is not null, pretraining.Error);
        Assert.Equal(JobStatus.Completed, (await WaitAsync(jobs, pretraining.Job.Id)).Status);
        var model = (await factory.Services.GetRequiredService<IBaseModelService>().ListAsync(Scientist, default)).First(m => m.PretrainingJobId == pretraining.Job.Id);
        var fineTuning = await jobs.RequestFineTuningAsync(Scientist, "modes", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = 2, LocalEpochs = 1 }, default);
        Assert.True(fineTuning.Job is not null, fineTuning.Error);
        var job = await WaitAsync(jobs, fineTuning.Job.Id);
        Assert.True(job.Status == JobStatus.Completed, job.Error);
        Assert.NotNull(await factory.Services.GetRequiredService<IModelCardService>().ReadPackageAsync(Scientist, job.Id, default));

        var files = Directory.GetFiles(factory.DataDirectory, "*", SearchOption.AllDirectories);
        var folders = Directory.GetDirectories(factory.DataDirectory, "*", SearchOption.AllDirectories).Append(factory.DataDirectory).ToList();
        // The walk saw what the job wrote: its package and the key ring are there.
        Assert.Contains(files, f => f.EndsWith("package.zip", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(Path.GetDirectoryName(f)) == "keys");
        // Plain loops: the platform check above does not reach into lambdas (CA1416).
        var exposed = new List<string>();
        foreach (var file in files)
        {
            var mode = File.GetUnixFileMode(file);
            if ((mode & GroupOrOthers) != 0)
            {
                exposed.Add($"{Path.GetRelativePath(factory.DataDirectory, file)} {mode}");
            }
        }

        foreach (var folder in folders)
        {
            var mode = File.GetUnixFileMode(folder);
            if (mode != Folder700)
            {
                exposed.Add($"{Path.GetRelativePath(factory.DataDirectory, folder)}/ {mode}");
            }
        }

        Assert.Empty(exposed);
    }

    private static async Task<PortalJob> WaitAsync(IJobService jobs, Guid jobId)
    {
        // A generous bound only so a broken run fails instead of hanging; no timing is asserted.
        for (var i = 0; i < 1200; i++)
        {
            if (await jobs.FindAsync(Scientist, jobId, default) is { IsFinished: true } job)
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Job {jobId} did not finish.");
    }
}

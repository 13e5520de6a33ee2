using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Storage;
using FTLPortal.Learning.Serialization;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>
/// Issue 6, in process: a fine-tuning job stopped after some rounds and resumed by a new host on the same data folder ends
/// with the same weights, bit for bit, as an uninterrupted run of the same job.
/// </summary>
public sealed class RestartDeterminismTests
{
    private const int Rounds = 5;

    [Fact]
    public async Task FineTuningJob_EndsWithWeightsOfUninterruptedRun_WhenResumedByNewHostMidJob()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-determinism-" + Guid.NewGuid().ToString("N"));
        Guid referenceJob;
        Guid resumedJob;
        var first = await PortalHost.StartAsync(dataDirectory);
        {
            var jobs = first.Get<IJobService>();
            var domains = await first.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
            var model = await first.PretrainAsync(domains[0].Id, hiddenSize: 16, epochs: 2);
            var parameters = new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = Rounds, LocalEpochs = 2, Seed = 11 };
            referenceJob = (await jobs.RequestFineTuningAsync(PortalHost.Scientist, "reference", parameters, default)).Job!.Id;
            var reference = await first.WaitForAsync(referenceJob);
            Assert.True(reference.Status == JobStatus.Completed, reference.Error);

            first.SlowDownLocalTraining(TimeSpan.FromMilliseconds(300));
            resumedJob = (await jobs.RequestFineTuningAsync(PortalHost.Scientist, "resumed", parameters, default)).Job!.Id;
            var stopped = await first.WaitForAsync(resumedJob, j => j.IsFinished || j.CurrentRound >= 2);
            Assert.False(stopped.IsFinished, "the job finished before the host stopped: make its rounds longer");
            await first.StopKeepingDataAsync();
        }

        await using var second = await PortalHost.StartAsync(dataDirectory);
        var done = await second.WaitForAsync(resumedJob);
        Assert.True(done.Status == JobStatus.Completed, done.Error);
        Assert.True(done.Attempts >= 2, "the job was not resumed by the second host");

        var cards = second.Get<IModelCardService>();
        var artifacts = second.Get<IArtifactStore>();
        var referenceCard = await cards.FindByJobAsync(PortalHost.Scientist, referenceJob, default);
        var resumedCard = await cards.FindByJobAsync(PortalHost.Scientist, resumedJob, default);
        Assert.NotNull(referenceCard);
        Assert.NotNull(resumedCard);
        var referenceWeights = await artifacts.ReadAsync(referenceCard.WeightsArtifact, default);
        var resumedWeights = await artifacts.ReadAsync(resumedCard.WeightsArtifact, default);
        Assert.Equal(referenceCard.WeightsSha256, resumedCard.WeightsSha256);
        Assert.NotNull(referenceWeights);
        Assert.NotNull(resumedWeights);
        // The files' metadata names each job's own model ("<base>-ft-<job id>"); the tensors must agree bit for bit.
        Assert.Equal(TensorBytes(referenceWeights), TensorBytes(resumedWeights));
        // The model package holds nothing run-specific: the resumed job's is byte-identical to the uninterrupted one's.
        var referencePackage = await cards.ReadPackageAsync(PortalHost.Scientist, referenceJob, default);
        Assert.NotNull(referencePackage);
        Assert.Equal(referencePackage, await cards.ReadPackageAsync(PortalHost.Scientist, resumedJob, default));
    }

    private static byte[] TensorBytes(byte[] safetensors) => SafeTensorsFormat.ToBytes(SafeTensorsFormat.FromBytes(safetensors));
}

using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;

namespace FTLPortal.Federation.Tests.Rounds;

public class ClientSelectionTests
{
    [Fact]
    public void SeedFor_IsFnv1aOfTheValuesLittleEndianBytes_SoEveryProcessPicksTheSame()
    {
        // Reference values from an independent FNV-1a (Python's struct.pack('<3i', ...)): a per-process hash such as
        // HashCode.Combine would differ from run to run, and a job resumed after a restart would pick other participants.
        Assert.Equal(-816911251, ClientSelection.SeedFor(42, 3, 1));
        Assert.Equal(-499359051, ClientSelection.SeedFor(0, 0, 0));
    }

    [Fact]
    public void Choose_ReturnsSameParticipantsInPlanOrder_WhenAskedAgainForTheSameRound()
    {
        var participants = Enumerable.Range(0, 10).Select(i => new Participant($"p{i}", $"d{i}", new FakeAgent($"p{i}"))).ToList();

        var first = ClientSelection.Choose(participants, 4, seed: 7, round: 2, attempt: 1);
        var again = ClientSelection.Choose(participants, 4, seed: 7, round: 2, attempt: 1);

        Assert.Equal(first.Select(p => p.PartnerId), again.Select(p => p.PartnerId));
        Assert.Equal(first.OrderBy(p => participants.IndexOf(p)).Select(p => p.PartnerId), first.Select(p => p.PartnerId));
    }
}

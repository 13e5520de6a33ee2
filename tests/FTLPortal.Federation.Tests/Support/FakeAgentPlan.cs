using FTLPortal.Federation.Rounds;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Support;

/// <summary>The plan the trainer tests share: <see cref="TestData.SmallMlp"/> with dense1 frozen, one local epoch, fake agents.</summary>
internal static class FakeAgentPlan
{
    public static (ModelArchitecture Architecture, WeightSet Weights) Model { get; } = TestData.SmallMlp();

    public static FineTuningPlan For(IReadOnlyList<FakeAgent> agents, int rounds = 2, int minParticipants = 1) => new()
    {
        ArchitectureJson = Model.Architecture.ToJson(),
        InitialWeights = TestData.Bytes(Model.Weights),
        FrozenLayers = ["dense1"],
        Rounds = rounds,
        Local = new TrainingOptions { Epochs = 1 },
        Participants = agents.Select(a => new Participant(a.PartnerId, $"{a.PartnerId}-domain", a)).ToList(),
        MinParticipants = minParticipants,
    };
}

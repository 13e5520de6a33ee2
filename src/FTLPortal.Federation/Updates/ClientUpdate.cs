using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Updates;

/// <summary>A decoded model update as the coordinator aggregates it: who sent it, how many training rows it stands for, and its tensors.</summary>
public sealed record ClientUpdate(string PartnerId, int SampleCount, WeightSet Weights);

namespace FTLPortal.Learning.Data;

/// <summary>Images stored as flat rows (channels × height × width each) and the per-row shape [channels, height, width].</summary>
public sealed record ImageDataset(TabularDataset Dataset, IReadOnlyList<int> ImageShape);

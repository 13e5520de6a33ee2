namespace FTLPortal.Learning.Metrics;

/// <summary>How <see cref="ClassificationReport"/>s are computed.</summary>
public sealed record ClassificationReportOptions
{
    /// <summary>The class index counted as positive in a binary task (default 1).</summary>
    public int PositiveClass { get; init; } = 1;

    /// <summary>A binary row is predicted positive when its positive-class probability is at least this (default 0.5).</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Bootstrap resamples over rows for the 95 % intervals; 0 skips the intervals (per-round numbers).</summary>
    public int BootstrapSamples { get; init; } = 1000;

    /// <summary>Seeds the bootstrap, so the same rows and predictions give the same intervals.</summary>
    public int Seed { get; init; } = 20240917;

    /// <summary>The class the majority baseline predicts (the training rows' majority); null uses the evaluated rows' majority.</summary>
    public int? MajorityClass { get; init; }
}

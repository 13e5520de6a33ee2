namespace FTLPortal.Core.Jobs.Evaluation;

/// <summary>A metric's value on the evaluated rows with its bootstrap 95 % interval (null bounds: no interval could be made).</summary>
public sealed record MetricInterval(double Value, double? Lower, double? Upper);

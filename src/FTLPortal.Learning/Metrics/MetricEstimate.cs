namespace FTLPortal.Learning.Metrics;

/// <summary>
/// A metric's value on the evaluated rows and its percentile-bootstrap interval (null when no bootstrap was run, or when
/// too few resamples defined the metric). Nulls, not NaN, so the record round-trips through System.Text.Json.
/// </summary>
public sealed record MetricEstimate(double Value, double? Lower, double? Upper)
{
    /// <summary>
    /// Whether this estimate is below <paramref name="other"/> beyond both intervals (this upper bound under the other's lower
    /// bound): the negative-transfer test. False when either lacks an interval, so a one-row difference never counts.
    /// </summary>
    public bool IsClearlyBelow(MetricEstimate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Upper is double upper && other.Lower is double otherLower && upper < otherLower;
    }
}

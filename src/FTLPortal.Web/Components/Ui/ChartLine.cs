namespace FTLPortal.Web.Components.Ui;

/// <summary>One line of a <see cref="LineChartCard"/>: a name and one value per round (null where there is none).</summary>
public sealed record ChartLine(string Name, IReadOnlyList<double?> Values);

namespace FTLPortal.Learning.Data;

public sealed record SyntheticDomainOptions
{
    public int Rows { get; init; } = 600;

    public int Features { get; init; } = 8;

    public int Classes { get; init; } = 3;

    /// <summary>Seeds the sampling of this domain's rows; the class concept is shared by all seeds.</summary>
    public int Seed { get; init; }

    /// <summary>Distance every input is moved along a fixed unit direction.</summary>
    public double CovariateShift { get; init; }

    /// <summary>In [0, 1): 0 gives balanced classes; towards 1 the class priors concentrate on class 0.</summary>
    public double LabelShift { get; init; }

    /// <summary>Rotation (radians) of the class centres in the plane of the first two features.</summary>
    public double ConceptShift { get; init; }

    /// <summary>Standard deviation of the Gaussian noise around each class centre.</summary>
    public double Noise { get; init; } = 0.5;
}

using System.Globalization;

namespace FTLPortal.Core.Jobs;

/// <summary>
/// The limits of the model-choice fields shared by pre-training and fine-tuning (weight decay, early stopping, class
/// weighting, validation fraction), with the message a form or the API shows for a value out of range.
/// </summary>
public static class ModelChoiceRules
{
    public const double MaxWeightDecay = 1.0;

    public const int MaxEarlyStoppingPatience = 100;

    public const double MinValidationFraction = 0.05;

    public const double MaxValidationFraction = 0.5;

    /// <summary>Null when every value is allowed; otherwise what to fix, naming the field as the form labels it.</summary>
    public static string? Validate(double weightDecay, int earlyStoppingPatience, ClassWeighting classWeighting, double validationFraction)
    {
        var c = CultureInfo.InvariantCulture;
        if (!(weightDecay >= 0 && weightDecay <= MaxWeightDecay))
        {
            return string.Create(c, $"Weight decay must be between 0 (none) and {MaxWeightDecay}.");
        }

        if (earlyStoppingPatience is < 0 or > MaxEarlyStoppingPatience)
        {
            return string.Create(c, $"Early stopping patience must be between 0 (off) and {MaxEarlyStoppingPatience}.");
        }

        if (!Enum.IsDefined(classWeighting))
        {
            return "Class weighting must be None or Balanced.";
        }

        return validationFraction is >= MinValidationFraction and <= MaxValidationFraction
            ? null
            : string.Create(c, $"The validation fraction must be between {MinValidationFraction} and {MaxValidationFraction} (of the rows that are not test rows).");
    }
}

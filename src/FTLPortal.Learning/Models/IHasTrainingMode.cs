namespace FTLPortal.Learning.Models;

/// <summary>
/// A model or layer that behaves differently while training (dropout, batch normalisation). <see cref="Training.Trainer"/>
/// switches it on for the duration of a call; prediction and evaluation run with it off.
/// </summary>
public interface IHasTrainingMode
{
    bool IsTraining { get; set; }
}

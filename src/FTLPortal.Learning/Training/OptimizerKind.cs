namespace FTLPortal.Learning.Training;

public enum OptimizerKind
{
    Sgd,
    Adam,

    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter).</summary>
    AdamW,
}

namespace FTLPortal.Learning.Training;

public enum OptimizerKind
{
    Sgd,
    Adam,
}

namespace FTLPortal.Learning.Kernels;

/// <summary>A unit of work split into parts; part i of n must touch only its own outputs.</summary>
internal interface IParallelWork
{
    void Execute(int part, int parts);
}

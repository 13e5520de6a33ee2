namespace FTLPortal.Learning.Tests.Models;

/// <summary>The collection of <see cref="CnnAllocationTests"/>: run after the parallel tests, alone.</summary>
[CollectionDefinition(nameof(CnnAllocationTests), DisableParallelization = true)]
public sealed class CnnAllocationTestsRunAlone;

namespace FTLPortal.Core.BaseModels;

/// <summary>What a data scientist sends to import a base model; the weights come as a stream beside it.</summary>
public sealed record BaseModelImport(string Name, string ArchitectureJson, BaseModelWeightsFormat Format, string FileName);

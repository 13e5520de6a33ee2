namespace FTLPortal.Federation.Packaging;

/// <summary>One file of a model package as the manifest lists it.</summary>
public sealed record PackageFile(string Name, string Sha256, long Bytes);

namespace FTLPortal.Learning.Tests.Data;

/// <summary>A fact that runs only where Debian's dataset-fashion-mnist is installed, and says so when it skips.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    public FashionMnistFactAttribute()
    {
        if (!File.Exists(Path.Combine(Folder, "train-images-idx3-ubyte.gz")))
        {
            Skip = $"Fashion-MNIST is not installed in {Folder} (apt-get install dataset-fashion-mnist).";
        }
    }
}

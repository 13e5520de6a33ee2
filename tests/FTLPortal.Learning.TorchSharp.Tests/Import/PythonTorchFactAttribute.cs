
namespace FTLPortal.Learning.TorchSharp.Tests.Import;

/// <summary>A fact that needs Debian's PyTorch (<c>/usr/bin/python3</c> with <c>python3-torch</c>); skipped with the reason elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonTorchFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(Probe);

    public PythonTorchFactAttribute()
    {
        if (Missing.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? Probe()
    {
        if (!File.Exists(PythonTorch.Python))
        {
            return $"{PythonTorch.Python} is not installed (apt-get install python3-torch).";
        }

        (int code, string output) = PythonTorch.Run("import torch; print(torch.__version__)", Path.GetTempPath());
        return code == 0 ? null : $"{PythonTorch.Python} cannot import torch (apt-get install python3-torch): {output.Trim()}";
    }
}

namespace FTLPortal.Learning.TorchSharp.Tests;

/// <summary>This process's resident set, from /proc (Linux, where these tests run).</summary>
internal static class ProcessMemory
{
    public static long ResidentBytes()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}

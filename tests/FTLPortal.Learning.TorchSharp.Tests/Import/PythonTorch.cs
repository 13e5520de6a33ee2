using System.Diagnostics;

namespace FTLPortal.Learning.TorchSharp.Tests.Import;

/// <summary>Runs a script with Debian's PyTorch (never the python3 on PATH).</summary>
internal static class PythonTorch
{
    public const string Python = "/usr/bin/python3";

    public static (int ExitCode, string Output) Run(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-");
        start.Environment["OMP_NUM_THREADS"] = "1";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            throw new TimeoutException("python3 ran for over 2 minutes");
        }

        return (process.ExitCode, output + error.Result);
    }
}

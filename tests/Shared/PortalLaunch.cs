using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FTLPortal.Testing;

/// <summary>
/// Starting the real portal as its own process, shared by the browser tests' <c>PortalServer</c> and the load benchmark's
/// <c>PortalProcess</c> (this file is linked into both projects): where the Web build is, a free loopback port, the
/// process's start settings, and the wait until <c>/health</c> answers.
/// </summary>
internal static class PortalLaunch
{
    /// <summary>src/FTLPortal.Web/bin/<paramref name="configuration"/>/net10.0/FTLPortal.Web.dll and the project folder.</summary>
    public static (string Assembly, string ProjectDirectory) FindWebBuild(string configuration, string buildHint)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FTLPortal.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"FTLPortal.sln not found above {AppContext.BaseDirectory}");
        }

        var project = Path.Combine(directory.FullName, "src", "FTLPortal.Web");
        var assembly = Path.Combine(project, "bin", configuration, "net10.0", "FTLPortal.Web.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} does not exist: {buildHint}");
        }

        return (assembly, project);
    }

    /// <summary>
    /// <c>dotnet FTLPortal.Web.dll</c> in the project folder (content root and appsettings, as with <c>dotnet run</c>) with
    /// output redirected, listening on <paramref name="baseAddress"/>, on <paramref name="dataDirectory"/>, with the demo seeded.
    /// </summary>
    public static ProcessStartInfo StartInfo(
        (string Assembly, string ProjectDirectory) build, string environment, Uri baseAddress, string dataDirectory, string demoPassword, int signInAttemptsPerMinute)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = build.ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(build.Assembly);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["Portal__DataDirectory"] = dataDirectory;
        start.Environment["Portal__SeedDemo"] = "true";
        start.Environment["Demo__Password"] = demoPassword;
        // Every client signs in from 127.0.0.1: the per-address sign-in limit would otherwise answer 429.
        start.Environment["Portal__SignInAttemptsPerMinute"] = signInAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <c>/health</c> until it answers 200; fails with the portal's <paramref name="output"/> if it exits or takes too long.</summary>
    public static async Task WaitUntilHealthyAsync(Process process, Uri baseAddress, TimeSpan startupTimeout, TimeSpan requestTimeout, Func<string> output)
    {
        using var http = new HttpClient { Timeout = requestTimeout };
        var health = new Uri(baseAddress, "/health");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < startupTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with code {process.ExitCode} before it was healthy:{Environment.NewLine}{output()}");
            }

            try
            {
                using var response = await http.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow (first start seeds the demo federation).
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The portal was not healthy at {health} within {startupTimeout.TotalSeconds} s:{Environment.NewLine}{output()}");
    }
}

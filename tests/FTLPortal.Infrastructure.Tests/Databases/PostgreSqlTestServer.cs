using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FTLPortal.Infrastructure.Tests.Databases;

/// <summary>
/// One real PostgreSQL server for the whole test run: initdb and pg_ctl from the Debian package in a temporary folder,
/// listening on a free loopback port, trust authentication (loopback only), stopped and deleted when the test process
/// exits. initdb refuses to run as root (CI runs the tests as root), so then the server runs as the <c>postgres</c>
/// system user through runuser, with the folder owned by it. Each test host gets a database of its own.
/// </summary>
internal static class PostgreSqlTestServer
{
    private const string FolderPrefix = "ftl-pg-";

    private static readonly Lazy<Task<Server>> Started = new(StartAsync);

    /// <summary>Why the PostgreSQL variants are skipped here, or null when the server can be started.</summary>
    public static string? UnavailableReason { get; } = FindUnavailableReason();

    /// <summary>Creates an empty database (or keeps it, for a restarted host) and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        var server = await Started.Value;
        await using var admin = new NpgsqlConnection(server.ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = name } } };
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        return server.ConnectionString(name);
    }

    /// <summary>Drops a test host's database once the host has stopped (its pooled connections are closed first).</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        var server = await Started.Value;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(server.ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string? FindUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the PostgreSQL variants start Debian's PostgreSQL server, which runs on Linux only";
        }

        if (FindBinaries() is null)
        {
            return "PostgreSQL's initdb and pg_ctl were not found in FTL_POSTGRES_BIN or under /usr/lib/postgresql/*/bin (apt-get install postgresql)";
        }

        return IsRoot() && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser")
            ? "running as root, and runuser (to start the server as the postgres user) is missing"
            : null;
    }

    /// <summary>Where initdb and pg_ctl are: the folder in FTL_POSTGRES_BIN if set, else the newest /usr/lib/postgresql/N/bin.</summary>
    private static string? FindBinaries() =>
        Environment.GetEnvironmentVariable("FTL_POSTGRES_BIN") is { Length: > 0 } chosen
            ? (File.Exists(Path.Combine(chosen, "initdb")) && File.Exists(Path.Combine(chosen, "pg_ctl")) ? chosen : null)
            : Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;

    private static bool IsRoot() => Environment.UserName == "root";

    /// <summary>As root, /tmp: the postgres user must reach the folder, and root's TMPDIR may be closed to it.</summary>
    private static string TempRoot() => IsRoot() ? "/tmp" : Path.GetTempPath();

    private static async Task<Server> StartAsync()
    {
        if (UnavailableReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        RemoveLeftovers();
        var bin = FindBinaries()!;
        var folder = Path.Combine(TempRoot(), FolderPrefix + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var asUser = IsRoot() ? "postgres" : null;
        if (asUser is not null)
        {
            await RunAsync("chown", null, "-R", asUser, folder);
        }

        await RunAsync(Path.Combine(bin, "initdb"), asUser, "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync");
        var port = FreeLoopbackPort();
        // Durability off: the folder is thrown away. Sockets stay in the folder, not in /var/run/postgresql.
        var settings = $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='{folder}' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        await RunAsync(Path.Combine(bin, "pg_ctl"), asUser, "-D", data, "-l", Path.Combine(folder, "server.log"), "-o", settings, "-w", "-t", "60", "start");
        StartWatchdog(bin, folder, data, asUser);
        return new Server(port);
    }

    /// <summary>
    /// A shell in a session of its own that stops the server and deletes its folder within a second of the test process
    /// ending, however it ends: the test host gives exit handlers too little time for pg_ctl, and a killed run runs none.
    /// </summary>
    private static void StartWatchdog(string bin, string folder, string data, string? asUser)
    {
        var stop = (asUser is null ? "" : $"runuser -u {asUser} -- ") + $"'{Path.Combine(bin, "pg_ctl")}' -D '{data}' -m immediate -w stop";
        var script = $"exec >/dev/null 2>&1 </dev/null; while kill -0 {Environment.ProcessId}; do sleep 1; done; {stop}; rm -rf '{folder}'";
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var watchdog = Process.Start(info)!;
    }

    /// <summary>Servers of test runs that were killed (their owner process is gone): stopped and deleted.</summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.GetDirectories(TempRoot(), FolderPrefix + "*"))
        {
            var ownerFile = Path.Combine(folder, "owner.pid");
            if (File.Exists(ownerFile) && int.TryParse(File.ReadAllText(ownerFile), out var owner) && IsAlive(owner))
            {
                continue;
            }

            var bin = FindBinaries();
            if (bin is not null && File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
            {
                Run(Path.Combine(bin, "pg_ctl"), IsRoot() ? "postgres" : null, "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop");
            }

            TryDelete(folder);
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo StartInfo(string program, string? asUser, string[] arguments)
    {
        var info = new ProcessStartInfo(asUser is null ? program : "runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asUser is not null)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(asUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static async Task RunAsync(string program, string? asUser, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(program, asUser, arguments))!;
        // pg_ctl's server inherits no pipe of ours (it logs to server.log), so reading to the end returns once pg_ctl exits.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error} {await output}");
        }
    }

    private static void Run(string program, string? asUser, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(program, asUser, arguments))!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder; the next run's leftover sweep tries again.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record Server(int Port)
    {
        public string ConnectionString(string database) =>
            $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Include Error Detail=true";
    }
}

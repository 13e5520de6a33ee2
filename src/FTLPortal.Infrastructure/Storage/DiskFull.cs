using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace FTLPortal.Infrastructure.Storage;

/// <summary>
/// Recognises a full disk under whatever wraps it, and says so plainly: .NET's own text ("No space left on device :
/// '/data/artifacts/…'") names server paths, which a job's error shown to its users must not.
/// </summary>
internal static class DiskFull
{
    /// <summary>ENOSPC: .NET on Linux and macOS puts the raw errno in <see cref="Exception.HResult"/> (28 = 0x1C; checked on Linux).</summary>
    internal const int UnixEnospc = 28;

    /// <summary>ERROR_DISK_FULL (0x70) and ERROR_HANDLE_DISK_FULL (0x27) as HRESULTs on Windows.</summary>
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>SQLITE_FULL: the database could not grow.</summary>
    private const int SqliteFull = 13;

    /// <summary>PostgreSQL's disk_full (class 53, insufficient resources).</summary>
    private const string PostgreSqlDiskFull = "53100";

    /// <summary>True when <paramref name="exception"/> or one it wraps says the disk is full.</summary>
    public static bool IsCause(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: UnixEnospc or WindowsDiskFull or WindowsHandleDiskFull } || e is SqliteException { SqliteErrorCode: SqliteFull } || e is DbException { SqlState: PostgreSqlDiskFull })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The reason a job failed on a full disk, with what it was doing (<paramref name="during"/>) and what to do next.</summary>
    public static string Reason(string during) =>
        $"The disk is full: there was no room to save the job's files {during}. Free space in the portal's data folder, then re-run the job; a fine-tuning job resumes from its last saved round.";
}

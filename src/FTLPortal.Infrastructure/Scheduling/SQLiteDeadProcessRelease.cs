using Hangfire.Storage.SQLite;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>
/// Hands back, in one transaction on the SQLite storage's own connection, what a process that was killed (not stopped)
/// still held in hangfire.db: queue rows its workers had fetched, which the storage hides for its 30-minute invisibility
/// timeout, and its distributed locks, which a waiter only retries every tenth of Hangfire's 15-minute job-lock timeout
/// (so a dead worker's state lock stalls a state change by 90 s). Only valid because this storage serves exactly one
/// server process per file and this runs before this process's server, clients or dashboard touch the file: every claim
/// found then is a dead process's. Storages shared by several live nodes must never do this.
/// </summary>
internal static class SQLiteDeadProcessRelease
{
    /// <summary>Returns how many fetched queue rows were made visible again and how many locks were deleted.</summary>
    public static (int Fetched, int Locks) Release(SQLiteStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        using var context = storage.CreateAndOpenConnection();
        var database = context.Database;
        var fetched = 0;
        var locks = 0;
        // The connection's busy timeout (10 s) bounds any wait for the file; a dead process holds no file lock.
        database.RunInTransaction(() =>
        {
            // DateTime.MinValue is the storage's "not fetched" mark (it stores DateTime as ticks): bound as it binds it.
            fetched = database.Execute("UPDATE JobQueue SET FetchedAt = ? WHERE FetchedAt <> ?", DateTime.MinValue, DateTime.MinValue);
            locks = database.Execute("DELETE FROM DistributedLock");
        });
        return (fetched, locks);
    }
}

using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Persistence;

/// <summary>
/// Makes "count, then insert while under the cap" one atomic step, so N requests racing at cap − 1 let exactly one in.
/// <list type="bullet">
/// <item>In the process, requests for one key (a partner's domains, a user's jobs) take turns on a striped lock: they never
/// race each other, and on SQLite they do not queue on the database's write lock.</item>
/// <item>In the database (which also holds across portal nodes), the count and the insert run in one serializable
/// transaction. SQLite begins it <c>IMMEDIATE</c> (Microsoft.Data.Sqlite's default for a non-deferred transaction): the
/// write lock is taken before the count, so another writer waits and then counts the new row. PostgreSQL's serializable
/// snapshot isolation aborts one of two transactions that counted the same rows and both inserted (SQLSTATE 40001); that
/// one runs again and sees the other's row. A plain conditional <c>INSERT … WHERE (SELECT COUNT(*) …) &lt; cap</c> would
/// not do there: under READ COMMITTED two such statements do not see each other's uncommitted rows.</item>
/// </list>
/// </summary>
public sealed class CappedInsert
{
    private const int Stripes = 64;

    /// <summary>Serialization failures are retried this many times in all; each retry counts again.</summary>
    private const int Attempts = 5;

    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// Runs <paramref name="countAndInsert"/> (which counts, and adds its entity and saves only while under the cap) in a
    /// serializable transaction on <paramref name="db"/>, one at a time per <paramref name="key"/> in this process.
    /// </summary>
    public async Task<T> RunAsync<T>(string key, PortalDbContext db, Func<CancellationToken, Task<T>> countAndInsert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(countAndInsert);
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % Stripes)];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                try
                {
                    var result = await countAndInsert(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return result;
                }
                catch (Exception ex) when (attempt < Attempts && IsSerializationFailure(ex))
                {
                    // Another node won the race; the retry counts its row (the body adds its entity again). No explicit
                    // rollback: when the failure came at commit, Npgsql has already ended the transaction and a rollback
                    // would throw; disposing it rolls back whatever is still open.
                }
            }
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>SQLSTATE 40001 anywhere in the chain (PostgreSQL's serialization_failure, as EF Core wraps it).</summary>
    internal static bool IsSerializationFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { SqlState: "40001" })
            {
                return true;
            }
        }

        return false;
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FTLPortal.Testing;

/// <summary>
/// Once <see cref="Enabled"/>, holds every query whose SQL matches <paramref name="matches"/> for <paramref name="delay"/>
/// after it ran: it widens a check-then-insert window so racing requests all read before any of them writes. Linked into
/// the Infrastructure and Web test projects.
/// </summary>
internal sealed class SlowQueryInterceptor(Func<string, bool> matches, TimeSpan delay) : DbCommandInterceptor
{
    /// <summary>Long enough for 20 racers to read before the first writes; not a timing assertion.</summary>
    private static readonly TimeSpan CapHold = TimeSpan.FromMilliseconds(150);

    public volatile bool Enabled;

    /// <summary>Holds the domain cap's read (the partner's domain names).</summary>
    public static SlowQueryInterceptor OnDomainsQuery() =>
        new(sql => sql.Contains("FROM \"Domains\"", StringComparison.Ordinal), CapHold);

    /// <summary>Holds the job cap's read (the count of a user's active jobs).</summary>
    public static SlowQueryInterceptor OnJobCount() =>
        new(sql => sql.Contains("COUNT(*)", StringComparison.Ordinal) && sql.Contains("FROM \"Jobs\"", StringComparison.Ordinal), CapHold);

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (Enabled && matches(command.CommandText))
        {
            await Task.Delay(delay, cancellationToken);
        }

        return result;
    }
}

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
    public volatile bool Enabled;

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (Enabled && matches(command.CommandText))
        {
            await Task.Delay(delay, cancellationToken);
        }

        return result;
    }
}

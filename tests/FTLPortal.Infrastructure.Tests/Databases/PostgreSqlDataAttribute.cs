using System.Reflection;
using FTLPortal.Infrastructure.Persistence;
using Xunit.Sdk;

namespace FTLPortal.Infrastructure.Tests.Databases;

/// <summary>
/// A theory's PostgreSQL row: <see cref="PortalDatabaseProvider.PostgreSql"/> followed by the arguments given. Beside
/// <c>[InlineData(PortalDatabaseProvider.Sqlite, …)]</c> it runs the same test on both databases; skipped, with the
/// reason, where the server binaries are absent.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class PostgreSqlDataAttribute : DataAttribute
{
    private readonly object?[] _more;

    public PostgreSqlDataAttribute(params object?[] more)
    {
        _more = more;
        Skip = PostgreSqlTestServer.UnavailableReason;
    }

    public IReadOnlyList<object?> More => _more;

    public override IEnumerable<object?[]> GetData(MethodInfo testMethod) => [[PortalDatabaseProvider.PostgreSql, .. _more]];
}

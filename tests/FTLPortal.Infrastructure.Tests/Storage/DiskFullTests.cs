using FTLPortal.Infrastructure.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FTLPortal.Infrastructure.Tests.Storage;

/// <summary>A full disk is recognised whichever database reports it, under EF Core's wrapping.</summary>
public sealed class DiskFullTests
{
    [Fact]
    public void IsCause_IsTrue_WhenPostgreSqlReportsDiskFullUnderASaveChangesError()
    {
        var error = new DbUpdateException("An error occurred while saving the entity changes.", new PostgresException("could not extend file \"base/16384/16385\": No space left on device", "ERROR", "ERROR", "53100"));

        Assert.True(DiskFull.IsCause(error));
    }

    [Fact]
    public void IsCause_IsTrue_WhenSqliteReportsItsDatabaseFull()
    {
        Assert.True(DiskFull.IsCause(new DbUpdateException("x", new SqliteException("database or disk is full", 13))));
    }

    [Theory]
    [InlineData("40001")]
    [InlineData("23505")]
    [InlineData("53200")]
    public void IsCause_IsFalse_WhenPostgreSqlReportsAnotherError(string sqlState)
    {
        Assert.False(DiskFull.IsCause(new DbUpdateException("x", new PostgresException("other", "ERROR", "ERROR", sqlState))));
    }
}

using FTLPortal.Core.Agents;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Partners;
using FTLPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FTLPortal.Infrastructure.Persistence;

/// <summary>
/// The portal's database: Identity plus the federation's metadata. Never a partner's rows. This type carries the SQLite
/// migrations; <see cref="PostgreSql.PostgreSqlPortalDbContext"/> (the same model) carries PostgreSQL's.
/// </summary>
public class PortalDbContext : IdentityDbContext<PortalUser>
{
    public PortalDbContext(DbContextOptions<PortalDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's subclass, which EF Core tells apart from this type when it looks for migrations.</summary>
    protected PortalDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<Domain> Domains => Set<Domain>();

    public DbSet<PortalJob> Jobs => Set<PortalJob>();

    public DbSet<RoundMetric> RoundMetrics => Set<RoundMetric>();

    public DbSet<BaseModel> BaseModels => Set<BaseModel>();

    public DbSet<ModelCard> ModelCards => Set<ModelCard>();

    public DbSet<RecurringSchedule> RecurringSchedules => Set<RecurringSchedule>();

    public DbSet<AgentKey> AgentKeys => Set<AgentKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        // SQLite cannot order or compare DateTimeOffset; store UTC ticks so sorting happens in the database.
        var offsetToTicks = new ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        var nullableOffsetToTicks = new ValueConverter<DateTimeOffset?, long?>(
            v => v.HasValue ? v.Value.UtcTicks : null,
            v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);

        builder.Entity<Partner>(e =>
        {
            e.ToTable("Partners");
            e.HasIndex(p => p.Slug).IsUnique();
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.Slug).HasMaxLength(64);
            e.Property(p => p.CreatedAt).HasConversion(offsetToTicks);
        });
        builder.Entity<Domain>(e =>
        {
            e.ToTable("Domains");
            e.HasIndex(d => new { d.PartnerId, d.Name }).IsUnique();
            e.HasOne<Partner>().WithMany().HasForeignKey(d => d.PartnerId);
            e.Property(d => d.Name).HasMaxLength(200);
            e.Property(d => d.RegisteredAt).HasConversion(offsetToTicks);
        });
        builder.Entity<PortalJob>(e =>
        {
            e.ToTable("Jobs");
            e.Property(j => j.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(j => j.Status).HasConversion<string>().HasMaxLength(32);
            e.Property(j => j.CreatedAt).HasConversion(offsetToTicks);
            e.Property(j => j.StartedAt).HasConversion(nullableOffsetToTicks);
            e.Property(j => j.FinishedAt).HasConversion(nullableOffsetToTicks);
            e.Property(j => j.ScheduledFor).HasConversion(nullableOffsetToTicks);
            e.Property(j => j.CancelRequestedAt).HasConversion(nullableOffsetToTicks);
            e.HasIndex(j => j.CreatedAt);
            e.HasIndex(j => j.ScheduleId);
            // Scheduling bookkeeping Core need not see: up to which step the job's chain was handed to the scheduler,
            // and which occurrence of a recurring schedule created the job (one job per occurrence).
            e.Property<int>(FTLPortal.Infrastructure.Jobs.PortalJobRunner.QueuedStepColumn).HasDefaultValue(0);
            e.Property<string?>(FTLPortal.Infrastructure.Jobs.JobService.OccurrenceColumn).HasMaxLength(64);
            e.HasIndex(FTLPortal.Infrastructure.Jobs.JobService.OccurrenceColumn).IsUnique();
        });
        builder.Entity<RoundMetric>(e =>
        {
            e.ToTable("RoundMetrics");
            e.HasIndex(m => new { m.JobId, m.Round });
            e.Property(m => m.RecordedAt).HasConversion(offsetToTicks);
        });
        builder.Entity<RecurringSchedule>(e =>
        {
            e.ToTable("RecurringSchedules");
            e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(r => r.Name).HasMaxLength(200);
            e.Property(r => r.Cron).HasMaxLength(100);
            e.Property(r => r.TimeZoneId).HasMaxLength(100);
            e.Property(r => r.CreatedAt).HasConversion(offsetToTicks);
            e.Property(r => r.NextRunAt).HasConversion(nullableOffsetToTicks);
            e.Property(r => r.LastRunAt).HasConversion(nullableOffsetToTicks);
        });
        builder.Entity<BaseModel>(e =>
        {
            e.ToTable("BaseModels");
            e.HasIndex(m => new { m.Name, m.Version }).IsUnique();
            e.Property(m => m.CreatedAt).HasConversion(offsetToTicks);
            e.Property(m => m.Origin).HasConversion<string>().HasMaxLength(32);
            e.Property(m => m.ImportFormat).HasMaxLength(32);
            e.Property(m => m.ImportFileSha256).HasMaxLength(64);
        });
        builder.Entity<AgentKey>(e =>
        {
            e.ToTable("AgentKeys");
            // The agent channel finds a key by the hash of what the agent sends.
            e.HasIndex(k => k.SecretHash).IsUnique();
            e.HasIndex(k => k.PartnerId);
            e.HasOne<Partner>().WithMany().HasForeignKey(k => k.PartnerId);
            e.Property(k => k.Name).HasMaxLength(AgentKey.MaxNameLength);
            e.Property(k => k.Prefix).HasMaxLength(16);
            e.Property(k => k.SecretHash).HasMaxLength(64);
            e.Property(k => k.CreatedBy).HasMaxLength(256);
            e.Property(k => k.CreatedAt).HasConversion(offsetToTicks);
            e.Property(k => k.LastUsedAt).HasConversion(nullableOffsetToTicks);
            e.Property(k => k.RevokedAt).HasConversion(nullableOffsetToTicks);
        });
        builder.Entity<ModelCard>(e =>
        {
            e.ToTable("ModelCards");
            e.HasIndex(c => c.JobId).IsUnique();
            e.Property(c => c.CreatedAt).HasConversion(offsetToTicks);
        });
    }
}

using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLogLevel = Hangfire.Logging.LogLevel;
using MicrosoftLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>
/// Hangfire's log provider is process-wide (static) while each host has its own logger factory; Hangfire's default
/// provider keeps the first host's factory and fails once that host is disposed (test hosts come and go in one process).
/// This bridge sends Hangfire's logs to the most recently started host that is still alive. One per host, disposed with it.
/// </summary>
internal sealed class HangfireLogBridge : IDisposable
{
    private static readonly Lock Gate = new();
    private static readonly List<ILoggerFactory> LiveFactories = [];

    private readonly ILoggerFactory _factory;

    public HangfireLogBridge(ILoggerFactory factory)
    {
        _factory = factory;
        lock (Gate)
        {
            LiveFactories.Add(factory);
        }
    }

    public static ILogProvider Provider { get; } = new ForwardingProvider();

    public void Dispose()
    {
        lock (Gate)
        {
            LiveFactories.Remove(_factory);
        }
    }

    private static ILoggerFactory? Current()
    {
        lock (Gate)
        {
            return LiveFactories.Count > 0 ? LiveFactories[^1] : null;
        }
    }

    private sealed class ForwardingProvider : ILogProvider
    {
        public ILog GetLogger(string name) => new ForwardingLog(name);
    }

    private sealed class ForwardingLog(string name) : ILog
    {
        public bool Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (Current() is not { } factory)
            {
                return false;
            }

            var level = logLevel switch
            {
                HangfireLogLevel.Trace => MicrosoftLogLevel.Trace,
                HangfireLogLevel.Debug => MicrosoftLogLevel.Debug,
                HangfireLogLevel.Info => MicrosoftLogLevel.Information,
                HangfireLogLevel.Warn => MicrosoftLogLevel.Warning,
                HangfireLogLevel.Error => MicrosoftLogLevel.Error,
                _ => MicrosoftLogLevel.Critical,
            };
            try
            {
                var logger = factory.CreateLogger(name);
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

                if (logger.IsEnabled(level))
                {
#pragma warning disable CA1848, CA2254 // Hangfire hands over finished messages; there is no template to cache.
                    logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254
                }

                return true;
            }
            catch (ObjectDisposedException)
            {
                // The host is being disposed between the lookup and the call.
                return false;
            }
        }
    }
}

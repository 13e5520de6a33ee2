using System.Collections.Concurrent;

namespace FTLPortal.Infrastructure.Identity;

/// <summary>
/// The portal's lockout policy. Failed passwords are counted per (account, client address), not per account: after
/// <see cref="MaxFailures"/> failures within <see cref="Window"/>, that address may not try that account again until the
/// window has passed. Someone guessing from one address locks out only themselves; the owner, from their own address,
/// still signs in. Guessing from many addresses is bounded by the per-address rate limit on the sign-in endpoint.
/// Identity's own account-wide lockout (which anyone could trigger against any known email) stays for disabling accounts.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;

    /// <summary>Above this many tracked pairs, expired ones are dropped before a new one is added (bounded memory).</summary>
    private const int MaxTrackedPairs = 100_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<(string Account, string Address), Failures> _failures = new();

    public bool IsBlocked(string account, string address) =>
        _failures.TryGetValue(Key(account, address), out var f) && f.Count >= MaxFailures && clock.GetUtcNow() - f.First < Window;

    public void RecordFailure(string account, string address)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count >= MaxTrackedPairs)
        {
            foreach (var (key, value) in _failures)
            {
                if (now - value.First >= Window)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        _failures.AddOrUpdate(Key(account, address), _ => new Failures(now, 1), (_, f) => now - f.First >= Window ? new Failures(now, 1) : f with { Count = f.Count + 1 });
    }

    public void RecordSuccess(string account, string address) => _failures.TryRemove(Key(account, address), out _);

    private static (string, string) Key(string account, string address) => (account.Trim().ToUpperInvariant(), address);

    private sealed record Failures(DateTimeOffset First, int Count);
}

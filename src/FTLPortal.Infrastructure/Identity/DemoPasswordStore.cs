using System.Security.Cryptography;
using FTLPortal.Infrastructure.Hosting;
using Microsoft.Extensions.Configuration;

namespace FTLPortal.Infrastructure.Identity;

/// <summary>
/// The demo users' password: <c>Demo:Password</c> when configured, otherwise generated once and kept in
/// the data folder so a restart signs in with the same password.
/// </summary>
public sealed class DemoPasswordStore(IConfiguration configuration, PortalPaths paths)
{
    public const string ConfigurationKey = "Demo:Password";

    public const string FileName = "demo-password.txt";

    // Unambiguous characters only: the password is read off a console and typed by hand.
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private readonly Lock _gate = new();
    private (string Value, DemoPasswordSource Source)? _resolved;

    public string FilePath => Path.Combine(paths.DataDirectory, FileName);

    public string Password => Resolve().Value;

    public DemoPasswordSource Source => Resolve().Source;

    private (string Value, DemoPasswordSource Source) Resolve()
    {
        lock (_gate)
        {
            return _resolved ??= Load();
        }
    }

    private (string Value, DemoPasswordSource Source) Load()
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return (configured, DemoPasswordSource.Configuration);
        }

        if (File.Exists(FilePath))
        {
            var stored = File.ReadAllText(FilePath).Trim();
            if (stored.Length > 0)
            {
                return (stored, DemoPasswordSource.StoredFile);
            }
        }

        var generated = Generate();
        Directory.CreateDirectory(paths.DataDirectory);
        // Create the file owner-only from the start rather than chmod after writing.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(FilePath, options))
        {
            writer.WriteLine(generated);
        }

        return (generated, DemoPasswordSource.Generated);
    }

    /// <summary>16 random characters with a digit, a lower- and an upper-case letter (Identity's default rules).</summary>
    private static string Generate()
    {
        while (true)
        {
            var candidate = RandomNumberGenerator.GetString(Alphabet, 16);
            if (candidate.Any(char.IsDigit) && candidate.Any(char.IsLower) && candidate.Any(char.IsUpper))
            {
                return candidate;
            }
        }
    }
}

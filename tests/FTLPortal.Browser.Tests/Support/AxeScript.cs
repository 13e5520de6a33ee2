namespace FTLPortal.Browser.Tests.Support;

/// <summary>axe-core from npm (tests/FTLPortal.Browser.Tests/axe/node_modules, installed by test.sh), read once.</summary>
internal static class AxeScript
{
    private static readonly Lazy<string> Source = new(Read);

    public static string Content => Source.Value;

    private static string Read()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FTLPortal.sln")))
        {
            directory = directory.Parent;
        }

        var path = directory is null ? null : Path.Combine(directory.FullName, "tests", "FTLPortal.Browser.Tests", "axe", "node_modules", "axe-core", "axe.min.js");
        return path is not null && File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidOperationException("axe-core is not installed: run 'npm install --prefix tests/FTLPortal.Browser.Tests/axe' (test.sh does this).");
    }
}

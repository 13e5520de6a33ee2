namespace FTLPortal.Web.Tests.Support;

/// <summary>Finds files of the source tree (the folder holding FTLPortal.sln) from a test's output folder.</summary>
public static class RepositoryFiles
{
    public static string PathOf(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FTLPortal.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException("FTLPortal.sln not found above " + AppContext.BaseDirectory);
    }
}

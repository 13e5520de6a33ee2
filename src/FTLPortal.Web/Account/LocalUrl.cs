namespace FTLPortal.Web.Account;

/// <summary>Guards redirects after sign-in: only paths on this site, never another host.</summary>
public static class LocalUrl
{
    /// <summary>Same rules as MVC's IUrlHelper.IsLocalUrl: "/x" or "~/x", but not "//host" or "/\host".</summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }

        if (url[0] == '/')
        {
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\' && !HasControlCharacters(url));
        }

        if (url.Length > 1 && url[0] == '~' && url[1] == '/')
        {
            return url.Length == 2 || (url[2] != '/' && url[2] != '\\' && !HasControlCharacters(url));
        }

        return false;
    }

    /// <summary>The URL when local, otherwise the home page.</summary>
    public static string OrHome(string? url) => IsLocal(url) ? (url![0] == '~' ? url[1..] : url) : "/";

    private static bool HasControlCharacters(string url) => url.Any(char.IsControl);
}

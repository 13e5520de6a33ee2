using System.Reflection;

namespace FTLPortal.Learning.TorchSharp.Tests.Plugins;

/// <summary>A temporary plug-in folder laid out as the portal's engines/ (one sub-folder per plug-in); deleted on dispose.</summary>
public sealed class PluginFolder : IDisposable
{
    public PluginFolder()
    {
        Directory.CreateDirectory(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ftl-engines-" + Guid.NewGuid().ToString("N"));

    /// <summary>The TorchSharp engine's build output (what the portal's build copies to engines/torchsharp/).</summary>
    public static string TorchSharpOutput { get; } = typeof(PluginFolder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TorchSharpEngineOutput").Value!;

    /// <summary>Links the engine's build output in as engines/torchsharp (a link, not a 600 MB copy).</summary>
    public PluginFolder WithTorchSharp()
    {
        Directory.CreateSymbolicLink(System.IO.Path.Combine(Path, "torchsharp"), TorchSharpOutput);
        return this;
    }

    /// <summary>A plug-in whose entry assembly is not a .NET image, as a truncated download would leave it.</summary>
    public PluginFolder WithBrokenPlugin(string name)
    {
        string folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(System.IO.Path.Combine(folder, name + ".dll"), [0x4d, 0x5a, 1, 2, 3]);
        File.WriteAllText(System.IO.Path.Combine(folder, name + ".deps.json"), """{"runtimeTarget":{"name":".NETCoreApp,Version=v10.0"},"targets":{".NETCoreApp,Version=v10.0":{}},"libraries":{}}""");
        return this;
    }

    public void Dispose()
    {
        try
        {
            // Deletes the link, not the build output it points to.
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}

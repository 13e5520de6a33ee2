// Compiled by MSBuild's RoslynCodeTaskFactory (see LibTorchSharpLoaderFix.targets); not part of any project's sources.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on the .gnu.version_r auxiliary entry named <see cref="Version"/> in each ELF64 little-endian library of
/// <see cref="Libraries"/>, but only when the system's libstdc++ does not define that version. Logs what it did.
/// </summary>
public sealed class MarkGlibcxxVersionWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 2;

    private static readonly string[] SystemLibraries =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    };

    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string Version { get; set; } = "";

    public override bool Execute()
    {
        string systemLibrary = Array.Find(SystemLibraries, File.Exists);
        if (systemLibrary is null)
        {
            Log.LogMessage(MessageImportance.Low, "LibTorchSharp loader fix: no system libstdc++.so.6 found; nothing to do.");
            return true;
        }

        if (Contains(File.ReadAllBytes(systemLibrary), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Log.LogMessage(MessageImportance.Normal, $"LibTorchSharp loader fix: {systemLibrary} has {Version}; not needed.");
            return true;
        }

        foreach (ITaskItem item in Libraries)
        {
            string path = item.GetMetadata("FullPath");
            byte[] bytes = File.ReadAllBytes(path);
            string outcome = MarkWeak(bytes, Version, out bool changed);
            if (changed)
            {
                // A new file, not an in-place write: the output copy may be a hard link into the NuGet cache.
                string temporary = path + ".weak-tmp";
                File.WriteAllBytes(temporary, bytes);
                File.Delete(path);
                File.Move(temporary, path);
            }

            Log.LogMessage(
                MessageImportance.High,
                $"LibTorchSharp loader fix: {systemLibrary} lacks {Version}; {path}: {outcome}.");
        }

        return !Log.HasLoggedErrors;
    }

    private string MarkWeak(byte[] elf, string version, out bool changed)
    {
        changed = false;
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogError($"Not an ELF64 little-endian file: cannot apply the loader fix.");
            return "not ELF64 little-endian";
        }

        long sectionOffset = (long)BitConverter.ToUInt64(elf, 0x28);
        int sectionSize = BitConverter.ToUInt16(elf, 0x3a);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3c);
        for (int s = 0; s < sectionCount; s++)
        {
            long header = sectionOffset + ((long)s * sectionSize);
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            long offset = (long)BitConverter.ToUInt64(elf, (int)header + 0x18);
            uint link = BitConverter.ToUInt32(elf, (int)header + 0x28);
            long strings = (long)BitConverter.ToUInt64(elf, (int)(sectionOffset + (link * sectionSize) + 0x18));

            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            long need = offset;
            while (true)
            {
                int count = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < count; a++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                    string name = ReadString(elf, strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    if (name == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlagWeak) != 0)
                        {
                            return $"{version} already weak";
                        }

                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, (int)aux + 4);
                        changed = true;
                        return $"marked {version} weak";
                    }

                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }

                uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0)
                {
                    break;
                }

                need += next;
            }
        }

        return $"no {version} requirement (nothing to change)";
    }

    private static string ReadString(byte[] bytes, long start)
    {
        int end = (int)start;
        while (bytes[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(bytes, (int)start, end - (int)start);
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return true;
            }
        }

        return false;
    }
}

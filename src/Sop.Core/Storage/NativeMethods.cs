using System.Runtime.InteropServices;

namespace Sop.Storage;

/// <summary>libc calls .NET has no API for: fsync of a folder and syncfs.</summary>
internal static class NativeMethods
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x64/arm64

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "fsync")]
    private static extern int Fsync(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "syncfs")]
    private static extern int SyncFs(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "close")]
    private static extern int Close(int fd);

    /// <summary>fsyncs a folder so the entries created, renamed or deleted in it survive a power loss.</summary>
    public static void FsyncDirectory(string path) => WithFd(path, ODirectory, Fsync, "fsync");

    /// <summary>Flushes every dirty page and inode of the file system holding <paramref name="path"/>.</summary>
    public static void SyncFileSystem(string path) => WithFd(path, 0, SyncFs, "syncfs");

    private static void WithFd(string path, int extraFlags, Func<int, int> call, string what)
    {
        if (!OperatingSystem.IsLinux()) return; // other systems: best effort, the per-file fsyncs still run
        int fd = Open(path, ORdOnly | extraFlags);
        if (fd < 0) throw new IOException($"{what}: cannot open '{path}' (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (call(fd) != 0) throw new IOException($"{what} of '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            Close(fd);
        }
    }
}

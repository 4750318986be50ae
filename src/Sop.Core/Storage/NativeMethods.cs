using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sop.Storage;

/// <summary>libc calls .NET has no API for: fsync of a folder, fdatasync and syncfs.</summary>
internal static class NativeMethods
{
    private const int ORdOnly = 0;
    internal const int EIntr = 4; // a signal interrupted the call: retry
    // O_DIRECTORY differs by architecture on Linux: 0x10000 on x86-64, 0x4000 on arm64 (where 0x10000 is O_DIRECT).
    private static readonly int ODirectory = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "fsync")]
    private static extern int Fsync(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "fdatasync")]
    private static extern int Fdatasync(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "syncfs")]
    private static extern int SyncFs(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "close")]
    internal static extern int Close(int fd);

    private const int FOfdGetLk = 36, FOfdSetLk = 37;
    private const short FWrLck = 1, FUnLck = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "fcntl")]
    private static extern int Fcntl(int fd, int cmd, ref Flock lk);

    /// <summary>Sets (write) or clears an open-file-description lock on one byte; false when another description holds it.</summary>
    public static bool OfdLock(int fd, long offset, bool locked)
    {
        var lk = new Flock { Type = locked ? FWrLck : FUnLck, Whence = 0, Start = offset, Length = 1 };
        if (Fcntl(fd, FOfdSetLk, ref lk) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno is 11 or 13) return false; // EAGAIN / EACCES: held by another description
        throw new IOException($"fcntl(F_OFD_SETLK) failed (errno {errno})");
    }

    /// <summary>True when another open file description holds a lock on the byte.</summary>
    public static bool OfdIsLocked(int fd, long offset)
    {
        var lk = new Flock { Type = FWrLck, Whence = 0, Start = offset, Length = 1 };
        if (Fcntl(fd, FOfdGetLk, ref lk) != 0) throw new IOException($"fcntl(F_OFD_GETLK) failed (errno {Marshal.GetLastPInvokeError()})");
        return lk.Type != FUnLck;
    }

    /// <summary>fsyncs a folder so the entries created, renamed or deleted in it survive a power loss.</summary>
    public static void FsyncDirectory(string path) => WithFd(path, ODirectory, Fsync, "fsync");

    /// <summary>
    /// fdatasync of an open file: its data blocks, without the metadata a later read does not need (.NET's
    /// <see cref="RandomAccess.FlushToDisk"/> is a full fsync). Other systems get that full fsync.
    /// </summary>
    public static void FlushData(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(handle);
            return;
        }
        bool added = false;
        handle.DangerousAddRef(ref added); // the descriptor must stay open (not be reused) during the call
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            while (Fdatasync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EIntr) throw new IOException($"fdatasync failed (errno {errno})");
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

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

using System.Runtime.InteropServices;

namespace Sop.Storage;

/// <summary>
/// Writes a whole small file (a blob) with three system calls: open (create or truncate), pwrite, close. .NET's own
/// open adds fstatfs, flock, ftruncate and lseek around them for its share-mode emulation, which a file written once
/// under a fresh name does not need; on this kind of machine every system call costs microseconds, and every commit
/// writes at least one blob.
/// </summary>
internal static class WholeFileWriter
{
    private const int OWrOnly = 0x1, OCreat = 0x40, OTrunc = 0x200, OCloExec = 0x80000; // the same on x86-64 and arm64 Linux
    private const int Mode0644 = 0x1A4;
    private const int ENoEnt = 2, EAcces = 13, EPerm = 1, ENoSpc = 28;

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true, EntryPoint = "pwrite")]
    private static extern nint PWrite(int fd, ref byte buffer, nint count, long offset);

    /// <summary>Creates or replaces <paramref name="path"/> with <paramref name="bytes"/> (not durable until synced).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission.</exception>
    /// <exception cref="IOException">Any other failure (disk full, device error).</exception>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        int fd;
        while ((fd = Open(path, OWrOnly | OCreat | OTrunc | OCloExec, Mode0644)) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != NativeMethods.EIntr) throw Failure("open", path, errno);
        }
        try
        {
            long at = 0;
            while (at < bytes.Length)
            {
                nint written = PWrite(fd, ref MemoryMarshal.GetReference(bytes[(int)at..]), bytes.Length - (int)at, at);
                if (written < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == NativeMethods.EIntr) continue;
                    throw Failure("write", path, errno);
                }
                at += written;
            }
        }
        finally
        {
            NativeMethods.Close(fd); // a close error after a successful write says nothing about durability, which a sync decides
        }
    }

    private static Exception Failure(string call, string path, int errno) => errno switch
    {
        ENoEnt => new DirectoryNotFoundException($"{call} '{path}': a folder on the path does not exist"),
        EAcces or EPerm => new UnauthorizedAccessException($"{call} '{path}': permission denied"),
        ENoSpc => new IOException($"{call} '{path}': no space left on device"),
        _ => new IOException($"{call} '{path}' failed (errno {errno})"),
    };
}

namespace Sop.Errors;

/// <summary>An on-disk record or file failed its checksum or format check and could not be repaired.</summary>
public class DataCorruptionException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public DataCorruptionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DataCorruptionException(string message, Exception inner) : base(message, inner) { }
}

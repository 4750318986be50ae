namespace Sop.Storage;

/// <summary>How <see cref="IFileSystem.Open"/> treats an existing or missing file.</summary>
public enum FileOpenMode
{
    /// <summary>The file must exist.</summary>
    Open = 0,

    /// <summary>Opens the file, creating an empty one when missing.</summary>
    OpenOrCreate = 1,

    /// <summary>Creates an empty file; replaces an existing one.</summary>
    Create = 2,

    /// <summary>Opens an existing file for reads only.</summary>
    ReadOnly = 3,
}

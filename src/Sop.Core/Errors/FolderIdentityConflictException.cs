namespace Sop.Errors;

/// <summary>
/// The folder's identity clashes with what the lock server holds for it: another folder with the same GUID but a
/// different incarnation (e.g. a restored copy beside its original) is in use (decisions.md 12). Give the copy a new
/// identity before opening it.
/// </summary>
public class FolderIdentityConflictException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public FolderIdentityConflictException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FolderIdentityConflictException(string message, Exception inner) : base(message, inner) { }
}

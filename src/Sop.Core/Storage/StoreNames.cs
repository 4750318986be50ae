using Sop.Errors;

namespace Sop.Storage;

/// <summary>The store-name rule. Because a name becomes a folder name, the rule is also what keeps names inside the data folder.</summary>
public static class StoreNames
{
    /// <summary>Longest allowed name.</summary>
    public const int MaxLength = 64;

    /// <summary>True for a user store name: 1-64 chars of [A-Za-z0-9_.-], not starting with '.'.</summary>
    public static bool IsValidUserName(string? name) => name is not null && name.Length is > 0 and <= MaxLength && name[0] != '.' && AllLegal(name);

    /// <summary>True for a system store name: '.' followed by a valid user name (reachable only through internal paths).</summary>
    public static bool IsValidSystemName(string? name) => name is not null && name.Length > 1 && name[0] == '.' && IsValidUserName(name[1..]);

    /// <summary>Throws <see cref="InvalidStoreNameException"/> unless the name is a valid user (or, when allowed, system) name.</summary>
    public static void Validate(string? name, bool allowSystem)
    {
        if (IsValidUserName(name) || (allowSystem && IsValidSystemName(name))) return;
        throw new InvalidStoreNameException(
            $"invalid store name '{name}': use 1-{MaxLength} characters of A-Z, a-z, 0-9, '_', '.', '-', not starting with '.'");
    }

    private static bool AllLegal(string s)
    {
        foreach (char c in s)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')) return false;
        return true;
    }
}

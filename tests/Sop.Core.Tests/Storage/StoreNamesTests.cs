using Sop.Errors;
using Sop.Storage;

namespace Sop.Tests.Storage;

/// <summary>The store-name rule, which also keeps store folders inside the data folder.</summary>
public sealed class StoreNamesTests
{
    public static readonly TheoryData<string> ValidUserNames = new()
    {
        "a", "orders", "Orders-2024_v1.x", "a.", "a..b", "0", new string('x', StoreNames.MaxLength),
    };

    public static readonly TheoryData<string?> InvalidUserNames = new()
    {
        null, "", ".", "..", ".hidden", "a/b", "../x", "a\\b", "a b", "ü", "a:b", "a\0b", new string('x', StoreNames.MaxLength + 1),
    };

    [Theory]
    [MemberData(nameof(ValidUserNames))]
    public void ValidUserName_IsAccepted(string name)
    {
        Assert.True(StoreNames.IsValidUserName(name));
        Assert.False(StoreNames.IsValidSystemName(name));
        StoreNames.Validate(name, allowSystem: false);
    }

    [Theory]
    [MemberData(nameof(InvalidUserNames))]
    public void InvalidUserName_IsRejected(string? name)
    {
        Assert.False(StoreNames.IsValidUserName(name));
        Assert.Throws<InvalidStoreNameException>(() => StoreNames.Validate(name, allowSystem: false));
    }

    [Theory]
    [InlineData(".sys")]
    [InlineData(".a")]
    public void SystemName_IsAcceptedOnlyWhenAllowed(string name)
    {
        Assert.True(StoreNames.IsValidSystemName(name));
        Assert.False(StoreNames.IsValidUserName(name));
        StoreNames.Validate(name, allowSystem: true);
        Assert.Throws<InvalidStoreNameException>(() => StoreNames.Validate(name, allowSystem: false));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("..sys")]
    [InlineData("./x")]
    [InlineData("sys")]
    public void MalformedSystemName_IsRejected(string name)
    {
        Assert.False(StoreNames.IsValidSystemName(name));
        if (!StoreNames.IsValidUserName(name))
            Assert.Throws<InvalidStoreNameException>(() => StoreNames.Validate(name, allowSystem: true));
    }

    [Fact]
    public void SystemNameOfMaxLengthUserName_IsAccepted()
    {
        Assert.True(StoreNames.IsValidSystemName("." + new string('x', StoreNames.MaxLength)));
    }
}

using OwlFactory.GrainInterfaces.Recharge;

namespace OwlFactory.Tests.Recharge;

/// <summary>The recharge code format and its grain key: pure functions, no cluster.</summary>
public sealed class RechargeCodesTests
{
    [Theory]
    [InlineData("owl-abcd-efgh-jkmn", "ABCDEFGHJKMN")]
    [InlineData(" OWL ABCD EFGH JKMN ", "ABCDEFGHJKMN")]
    [InlineData("abcdefghjkmn", "ABCDEFGHJKMN")]
    public void TryNormalize_CaseSpacesAndDashes_AreIgnored(string input, string expected)
    {
        Assert.True(RechargeCodes.TryNormalize(input, out var symbols));
        Assert.Equal(expected, symbols);
    }

    [Theory]
    [InlineData("OWL-ABCD-EFGH-JKM0")]
    [InlineData("OWL-ABCD-EFGH")]
    [InlineData("hello")]
    [InlineData("")]
    public void TryNormalize_MalformedCode_IsRejected(string input) => Assert.False(RechargeCodes.TryNormalize(input, out _));

    [Fact]
    public void GrainKey_DoesNotLookLikeHex_AndGivesItsHashBack()
    {
        var hash = RechargeCodes.Hash("ABCDEFGHJKMN");
        var key = RechargeCodes.GrainKey(hash);

        Assert.False(key.All(Uri.IsHexDigit));
        Assert.Equal(hash, RechargeCodes.HashOfGrainKey(key));
    }

    [Fact]
    public void HashOfGrainKey_AKeyWithoutThePrefix_Throws()
        => Assert.Throws<ArgumentException>(() => RechargeCodes.HashOfGrainKey(RechargeCodes.Hash("ABCDEFGHJKMN")));
}

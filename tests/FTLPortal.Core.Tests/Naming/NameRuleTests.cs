using FTLPortal.Core.Naming;

namespace FTLPortal.Core.Tests.Naming;

public class NameRuleTests
{
    [Theory]
    [InlineData("contoso-outpatients")]
    [InlineData("Clinic 2026 (north)")]
    [InlineData("Zürich Klinik")]
    [InlineData("Москва клиника")]
    [InlineData("東京 clinic")]
    [InlineData("Ελλάδα")]
    public void Check_AcceptsPlainNames_InOneAlphabet(string name)
    {
        NameCheck check = NameRule.Check(name, "domain");

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(name, check.Name);
    }

    [Fact]
    public void Check_TrimsTheName()
    {
        Assert.Equal("northwind", NameRule.Check("  northwind \u0020", "partner").Name);
    }

    [Theory]
    [InlineData("north\u200Dwind", "U+200D")] // zero-width joiner
    [InlineData("north\u200Bwind", "U+200B")] // zero-width space
    [InlineData("north\uFEFFwind", "U+FEFF")] // zero-width no-break space
    [InlineData("north\u202Ewind", "U+202E")] // right-to-left override
    [InlineData("north\u0007wind", "U+0007")] // control
    [InlineData("north\nwind", "U+000A")]
    public void Check_RefusesInvisibleAndControlCharacters_NamingThem(string name, string expected)
    {
        NameCheck check = NameRule.Check(name, "domain");

        Assert.False(check.IsValid);
        Assert.Null(check.Name);
        Assert.Contains(expected, check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ｃｏｎｔｏｓｏ", "'contoso'")] // full-width letters
    [InlineData("ﬁnance", "'finance'")] // ligature
    [InlineData("model²", "'model2'")]
    public void Check_RefusesCompatibilityForms_SuggestingThePlainName(string name, string suggestion)
    {
        NameCheck check = NameRule.Check(name, "job");

        Assert.False(check.IsValid);
        Assert.Contains("compatibility characters", check.Error, StringComparison.Ordinal);
        Assert.Contains(suggestion, check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nоrthwind")] // Cyrillic о among Latin letters
    [InlineData("contoso-аdmin")] // Cyrillic а
    [InlineData("fabrikam Κlinic")] // Greek capital kappa among Latin
    public void Check_RefusesMixedAlphabets(string name)
    {
        NameCheck check = NameRule.Check(name, "partner");

        Assert.False(check.IsValid);
        Assert.Contains("mixes letters of different alphabets", check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("two  spaces")]
    [InlineData("no\u00A0break")]
    [InlineData("")]
    [InlineData("   ")]
    public void Check_RefusesOddSpacingAndEmptyNames(string name)
    {
        Assert.False(NameRule.Check(name, "base model").IsValid);
    }

    [Fact]
    public void Check_RefusesNamesOverTheLength()
    {
        Assert.True(NameRule.Check(new string('a', 100), "base model", maxLength: 100).IsValid);
        Assert.Contains("1 to 100 characters", NameRule.Check(new string('a', 101), "base model", maxLength: 100).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("papa", "рара")] // all-Cyrillic lookalike, valid on its own
    [InlineData("Contoso", "contoso")]
    [InlineData("contoso", "ｃｏｎｔｏｓｏ")]
    [InlineData("northwind", "north\u200Bwind ")]
    [InlineData("ΑΒΕ", "abe")]
    public void LookAlike_IsTrue_ForNamesThatReadTheSame(string first, string second)
    {
        Assert.True(NameRule.LookAlike(first, second));
    }

    [Theory]
    [InlineData("contoso", "contoso2")]
    [InlineData("northwind", "northwood")]
    [InlineData("клиника", "klinika")]
    public void LookAlike_IsFalse_ForDifferentNames(string first, string second)
    {
        Assert.False(NameRule.LookAlike(first, second));
    }
}

using UsageSentinel.Core.Behaviour;

namespace UsageSentinel.Core.Tests.Behaviour;

public sealed class CountryTimeZonesTests
{
    [Theory]
    [InlineData("US", -5)]
    [InlineData("us", -5)]
    [InlineData("uS", -5)]
    [InlineData("JP", 9)]
    [InlineData("nz", 12)]
    [InlineData("GB", 0)]
    public void TryGetOffset_KnownCodeInAnyCase_ReturnsOffset(string country, int expected)
    {
        CountryTimeZones.TryGetOffset(country, out var offset).ShouldBeTrue();
        offset.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ZZ")]
    [InlineData("U")]
    [InlineData("USA")]
    [InlineData("U1")]
    [InlineData("U ")]
    [InlineData("ÜS")]
    public void TryGetOffset_UnknownOrMalformed_ReturnsFalseAndZero(string? country)
    {
        CountryTimeZones.TryGetOffset(country, out var offset).ShouldBeFalse();
        offset.ShouldBe(0);
    }

    [Fact]
    public void TryGetOffset_EveryTwoLetterCode_AgreesWithCaseInsensitiveLookup()
    {
        // The letter table must answer exactly as the case-insensitive dictionary behind it.
        var known = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var a = 'A'; a <= 'Z'; a++)
        {
            for (var b = 'A'; b <= 'Z'; b++)
            {
                var upper = new string([a, b]);
                if (CountryTimeZones.TryGetOffset(upper, out var offset))
                {
                    known[upper] = offset;
                }

                var lower = upper.ToLowerInvariant();
                CountryTimeZones.TryGetOffset(lower, out var lowerOffset).ShouldBe(known.ContainsKey(upper), lower);
                lowerOffset.ShouldBe(known.GetValueOrDefault(upper), lower);
            }
        }

        known.Count.ShouldBeGreaterThan(100);
    }
}

namespace UsageSentinel.Core.Behaviour;

/// <summary>
/// The UTC offset of a country's main business time zone (standard time, whole hours), to tell whether an
/// account is active at its declared country's working hours. Large multi-zone countries use their most populous
/// zone; the error is at most a few hours, below the 6-hour offset the resale detector looks for.
/// </summary>
public static class CountryTimeZones
{
    private static readonly Dictionary<string, int> Offsets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["US"] = -5, ["CA"] = -5, ["MX"] = -6, ["BR"] = -3, ["AR"] = -3, ["CL"] = -4, ["CO"] = -5, ["PE"] = -5,
        ["GB"] = 0, ["IE"] = 0, ["PT"] = 0, ["IS"] = 0, ["FR"] = 1, ["DE"] = 1, ["NL"] = 1, ["BE"] = 1, ["LU"] = 1,
        ["ES"] = 1, ["IT"] = 1, ["CH"] = 1, ["AT"] = 1, ["SE"] = 1, ["NO"] = 1, ["DK"] = 1, ["PL"] = 1, ["CZ"] = 1,
        ["HU"] = 1, ["SK"] = 1, ["SI"] = 1, ["HR"] = 1, ["RS"] = 1, ["FI"] = 2, ["EE"] = 2, ["LV"] = 2, ["LT"] = 2,
        ["GR"] = 2, ["RO"] = 2, ["BG"] = 2, ["UA"] = 2, ["IL"] = 2, ["EG"] = 2, ["ZA"] = 2, ["TR"] = 3, ["RU"] = 3,
        ["BY"] = 3, ["SA"] = 3, ["QA"] = 3, ["KW"] = 3, ["IQ"] = 3, ["KE"] = 3, ["AE"] = 4, ["OM"] = 4, ["AM"] = 4,
        ["GE"] = 4, ["AZ"] = 4, ["IR"] = 3, ["AF"] = 4, ["PK"] = 5, ["UZ"] = 5, ["KZ"] = 5, ["IN"] = 5, ["LK"] = 5,
        ["NP"] = 5, ["BD"] = 6, ["KG"] = 6, ["MM"] = 6, ["TH"] = 7, ["VN"] = 7, ["KH"] = 7, ["ID"] = 7, ["LA"] = 7,
        ["MY"] = 8, ["SG"] = 8, ["CN"] = 8, ["HK"] = 8, ["MO"] = 8, ["TW"] = 8, ["PH"] = 8, ["MN"] = 8, ["AU"] = 10,
        ["JP"] = 9, ["KR"] = 9, ["KP"] = 9, ["NZ"] = 12, ["NG"] = 1, ["MA"] = 1, ["DZ"] = 1, ["TN"] = 1, ["SY"] = 2,
        ["LB"] = 2, ["JO"] = 3, ["CU"] = -5, ["VE"] = -4, ["NI"] = -6, ["HT"] = -5, ["ZW"] = 2, ["SD"] = 2, ["SS"] = 2,
        ["SO"] = 3, ["ER"] = 3, ["LY"] = 2, ["CD"] = 1, ["CF"] = 1, ["ET"] = 3, ["GH"] = 0, ["CR"] = -6, ["PA"] = -5,
        ["UY"] = -3, ["EC"] = -5, ["BO"] = -4, ["PY"] = -4, ["DO"] = -4, ["CY"] = 2, ["MT"] = 1, ["BA"] = 1, ["MK"] = 1,
        ["AL"] = 1, ["MD"] = 2, ["TJ"] = 5, ["TM"] = 5, ["BH"] = 3, ["YE"] = 3, ["BN"] = 8,
    };

    // The same lookup for two ASCII letters in either case, by index (26 × 26): the resale detector asks on every
    // evaluation of every account. Unknown is sbyte.MinValue; anything else goes to the dictionary.
    private const sbyte Unknown = sbyte.MinValue;
    private static readonly sbyte[] ByLetters = BuildLetterTable();

    /// <summary>Looks up the UTC offset of a country's main business time zone.</summary>
    /// <param name="country">ISO 3166-1 alpha-2 code.</param>
    /// <param name="offsetHours">The offset in hours.</param>
    /// <returns>Whether the country is known.</returns>
    public static bool TryGetOffset(string? country, out int offsetHours)
    {
        offsetHours = 0;
        if (country is null)
        {
            return false;
        }

        if (country.Length == 2 && LetterIndex(country[0]) is var first and >= 0 && LetterIndex(country[1]) is var second and >= 0)
        {
            var offset = ByLetters[(first * 26) + second];
            if (offset == Unknown)
            {
                return false;
            }

            offsetHours = offset;
            return true;
        }

        return Offsets.TryGetValue(country, out offsetHours);
    }

    private static int LetterIndex(char c) => c is >= 'A' and <= 'Z' ? c - 'A' : c is >= 'a' and <= 'z' ? c - 'a' : -1;

    private static sbyte[] BuildLetterTable()
    {
        var table = new sbyte[26 * 26];
        Array.Fill(table, Unknown);
        foreach (var (code, offset) in Offsets)
        {
            if (code.Length != 2 || LetterIndex(code[0]) < 0 || LetterIndex(code[1]) < 0)
            {
                throw new InvalidOperationException($"Country code '{code}' is not two ASCII letters.");
            }

            table[(LetterIndex(code[0]) * 26) + LetterIndex(code[1])] = checked((sbyte)offset);
        }

        return table;
    }
}

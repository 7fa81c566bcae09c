using System.Globalization;
using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Randomness;

namespace UsageSentinel.Simulation.Engine;

/// <summary>Made-up but plausible identifiers: principals, keys, instances, domains.</summary>
internal static class Names
{
    private static readonly string[] Given =
    [
        "anna", "ben", "chen", "dana", "eli", "fatima", "gus", "hana", "ivan", "jon", "kai", "lena", "mo", "nora",
        "omar", "priya", "quinn", "rosa", "sam", "tara", "uma", "vik", "wen", "yuki", "zoe",
    ];

    private static readonly string[] Words =
    [
        "aurora", "basalt", "cedar", "delta", "ember", "fjord", "granite", "harbor", "iris", "juniper", "kestrel",
        "lumen", "meridian", "nimbus", "orbit", "pioneer", "quartz", "ridge", "summit", "tidal", "vector", "willow",
    ];

    private static readonly string[] CompanySuffixes = ["labs", "ai", "systems", "analytics", "robotics", "bio", "tech", "data"];

    private static readonly string[] PersonalDomains = ["gmail.com", "outlook.com", "proton.me", "yahoo.com", "icloud.com"];

    public static string Person(SimRandom random) =>
        string.Create(CultureInfo.InvariantCulture, $"user/{random.Pick(Given)}.{(char)('a' + random.Below(26))}-{random.Hex(4)}");

    public static string Role(SimRandom random, string purpose) =>
        string.Create(CultureInfo.InvariantCulture, $"role/{purpose}-{random.Hex(4)}");

    public static string SshKey(SimRandom random)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        return "SHA256:" + Convert.ToBase64String(bytes).TrimEnd('=');
    }

    public static string PaymentFingerprint(SimRandom random) => "pm_" + random.Hex(20);

    public static string Instance(CloudProvider provider, SimRandom random) => provider switch
    {
        CloudProvider.Aws => "i-0" + random.Hex(16),
        CloudProvider.Gcp => random.Between(1, 9).ToString(CultureInfo.InvariantCulture) + random.Digits(18),
        _ => "vm-" + random.Hex(12),
    };

    public static string PlacementGroup(CloudProvider provider, SimRandom random) => provider switch
    {
        CloudProvider.Aws => "pg-0" + random.Hex(16),
        CloudProvider.Gcp => "compact-policy-" + random.Hex(6),
        _ => "ppg-" + random.Hex(8),
    };

    public static string CompanyDomain(SimRandom random, string tld) =>
        string.Create(CultureInfo.InvariantCulture, $"{random.Pick(Words)}{random.Pick(CompanySuffixes)}.{tld}");

    public static string AcademicDomain(SimRandom random, string countryCode) => countryCode switch
    {
        "US" => random.Pick(Words) + ".edu",
        "GB" => random.Pick(Words) + ".ac.uk",
        "JP" => random.Pick(Words) + ".ac.jp",
        "KR" => random.Pick(Words) + ".ac.kr",
        "DE" => "uni-" + random.Pick(Words) + ".de",
        "CA" => random.Pick(Words) + "u.ca",
        _ => "univ-" + random.Pick(Words) + "." + countryCode.ToLowerInvariant(),
    };

    public static string PersonalDomain(SimRandom random) => random.Pick(PersonalDomains);

    public static string TopLevelDomain(string countryCode) => countryCode switch
    {
        "US" => "com",
        "GB" => "co.uk",
        "JP" => "co.jp",
        _ => countryCode.ToLowerInvariant(),
    };
}

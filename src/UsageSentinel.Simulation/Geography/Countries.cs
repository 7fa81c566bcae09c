namespace UsageSentinel.Simulation.Geography;

/// <summary>The countries and networks the simulation draws from. ASNs are real operators; addresses are made up.</summary>
internal static class Countries
{
    public static readonly Country US = Make("US", -300, Continent.NorthAmerica, [(7922, "73.40"), (7018, "12.129"), (701, "71.170")], (11537, "198.32"));
    public static readonly Country CA = Make("CA", -300, Continent.NorthAmerica, [(577, "70.48"), (812, "99.224")], (6509, "205.189"));
    public static readonly Country DE = Make("DE", 60, Continent.Europe, [(3320, "91.0"), (3209, "94.134")], (680, "141.20"));
    public static readonly Country GB = Make("GB", 0, Continent.Europe, [(2856, "86.128"), (5089, "82.0")], (786, "128.232"));
    public static readonly Country FR = Make("FR", 60, Continent.Europe, [(3215, "90.0"), (12322, "82.64")], (2200, "193.48"));
    public static readonly Country NL = Make("NL", 60, Continent.Europe, [(1136, "84.24"), (33915, "77.160")], (1103, "145.100"));
    public static readonly Country JP = Make("JP", 540, Continent.Asia, [(2516, "106.128"), (4713, "153.140")], (2907, "133.11"));
    public static readonly Country KR = Make("KR", 540, Continent.Asia, [(4766, "175.192"), (9318, "221.144")], (17579, "143.248"));
    public static readonly Country IN = Make("IN", 330, Continent.Asia, [(9829, "117.200"), (45609, "106.192")]);
    public static readonly Country BR = Make("BR", -180, Continent.SouthAmerica, [(28573, "177.32"), (18881, "191.176")]);
    public static readonly Country SG = Make("SG", 480, Continent.Asia, [(7473, "116.14"), (4773, "118.189")]);
    public static readonly Country AE = Make("AE", 240, Continent.MiddleEast, [(5384, "94.200"), (15802, "5.30")]);
    public static readonly Country MY = Make("MY", 480, Continent.Asia, [(4788, "175.136"), (9534, "115.132")]);
    public static readonly Country KZ = Make("KZ", 300, Continent.Asia, [(9198, "95.56"), (21299, "2.132")]);
    public static readonly Country TH = Make("TH", 420, Continent.Asia, [(7470, "110.168"), (45758, "49.228")]);
    public static readonly Country VN = Make("VN", 420, Continent.Asia, [(7552, "113.160"), (45899, "14.160")]);
    public static readonly Country NG = Make("NG", 60, Continent.Africa, [(29465, "105.112"), (36873, "41.184")]);
    public static readonly Country CN = Make("CN", 480, Continent.Asia, [(4134, "114.80"), (4837, "123.112"), (9808, "120.192")]);
    public static readonly Country HK = Make("HK", 480, Continent.Asia, [(4760, "112.118"), (9304, "113.28")]);
    public static readonly Country MO = Make("MO", 480, Continent.Asia, [(4609, "60.246")]);
    public static readonly Country RU = Make("RU", 180, Continent.Europe, [(12389, "95.24"), (8359, "89.113")]);
    public static readonly Country BY = Make("BY", 180, Continent.Europe, [(6697, "178.120")]);
    public static readonly Country IR = Make("IR", 210, Continent.MiddleEast, [(58224, "5.200"), (44244, "5.112")]);

    /// <summary>Countries benign customers come from, roughly weighted by repetition.</summary>
    public static readonly IReadOnlyList<Country> Benign = [US, US, US, US, DE, DE, GB, GB, FR, NL, CA, JP, JP, KR, IN, SG];

    /// <summary>Countries research groups come from.</summary>
    public static readonly IReadOnlyList<Country> Research = [US, US, US, DE, DE, GB, GB, FR, JP, CA, NL, KR];

    /// <summary>Countries large enterprises and labs come from.</summary>
    public static readonly IReadOnlyList<Country> Enterprise = [US, US, US, DE, GB, FR, JP, CA, NL];

    /// <summary>Transit hubs intermediaries declare.</summary>
    public static readonly IReadOnlyList<Country> TransitHubs = [SG, AE, MY, KZ, TH];

    /// <summary>Countries under GPU export restrictions, weighted by repetition.</summary>
    public static readonly IReadOnlyList<Country> Restricted = [CN, CN, CN, CN, CN, HK, HK, RU, RU, IR, MO, BY];

    /// <summary>Where hijackers come from.</summary>
    public static readonly IReadOnlyList<Country> Hijackers = [RU, BR, VN, NG, CN];

    /// <summary>VPN, Tor and hosting exits.</summary>
    public static readonly IReadOnlyList<Network> AnonymizerExits =
    [
        new("NL", 60068, "185.107", Anonymizer: true),
        new("DE", 24940, "88.99", Anonymizer: true),
        new("US", 9009, "193.37", Anonymizer: true),
        new("US", 20473, "45.76", Anonymizer: true),
        new("SG", 14061, "159.89", Anonymizer: true),
        new("FR", 16276, "51.75", Anonymizer: true),
    ];

    private static Country Make(
        string code, int offsetMinutes, Continent continent, (long Asn, string Prefix)[] networks, (long Asn, string Prefix)? academic = null)
    {
        var list = new Network[networks.Length];
        for (int i = 0; i < networks.Length; i++)
        {
            list[i] = new Network(code, networks[i].Asn, networks[i].Prefix);
        }

        Network? campus = academic is { } a ? new Network(code, a.Asn, a.Prefix) : null;
        return new Country(code, offsetMinutes, continent, list, campus);
    }
}

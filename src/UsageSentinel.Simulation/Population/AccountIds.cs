using System.Globalization;
using UsageSentinel.Simulation.Randomness;

namespace UsageSentinel.Simulation.Population;

/// <summary>
/// Maps account slots to ids: a seeded Feistel permutation of [0, 10^6), so ids look shuffled (abusive
/// accounts are not recognisable by id), never collide, and stay put when accounts are added.
/// </summary>
internal static class AccountIds
{
    public const int Space = 1_000_000;

    private const int Half = 1_000;
    private const int Rounds = 4;

    public static int Number(int seed, int slot)
    {
        if (slot < 0 || slot >= Space)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "The slot lies outside the id space.");
        }

        int left = slot / Half;
        int right = slot % Half;
        for (int round = 0; round < Rounds; round++)
        {
            ulong key = SimRandom.Mix(((ulong)(uint)seed << 20) ^ ((ulong)round << 12) ^ (ulong)right ^ 0x5EEDUL);
            int f = (int)(key % Half);
            (left, right) = (right, (left + f) % Half);
        }

        return (left * Half) + right;
    }

    public static string Format(int number) =>
        string.Create(CultureInfo.InvariantCulture, $"acct-{number:D6}");
}

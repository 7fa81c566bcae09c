namespace UsageSentinel.Simulation.Population;

/// <summary>
/// Slot numbers: benign accounts use [0, <see cref="SimulationOptions.MaxAccounts"/>); each special scenario has its
/// own block above, so adding accounts of one kind never changes another account's slot, id or events.
/// </summary>
internal static class AccountSlots
{
    public const int SpecialBase = 900_000;
    public const int BlockSize = 10_000;

    public const int ResaleBlock = 0;
    public const int RestrictedTrainingBlock = 1;
    public const int StructuringBlock = 2;
    public const int CompromiseBlock = 3;
    public const int VerifiedLabBlock = 4;

    /// <summary>Accounts per structuring group at most.</summary>
    public const int StructuringGroupStride = 4;

    public static int Special(int block, int index) => SpecialBase + (block * BlockSize) + index;
}

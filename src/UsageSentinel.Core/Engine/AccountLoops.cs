using UsageSentinel.Core.Events;
using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Engine;

/// <summary>Which of several detection loops owns an account: a stable hash of its id, the same in every process.</summary>
public static class AccountLoops
{
    /// <summary>Gets the loop, 0-based, of <paramref name="accountId"/> among <paramref name="loops"/>.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="loops">How many loops there are.</param>
    /// <returns>The loop index.</returns>
    public static int Of(string accountId, int loops)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(loops);
        return loops == 1 ? 0 : (int)(StableHash.Of(accountId) % (uint)loops);
    }

    /// <summary>
    /// Gets the loop, 0-based, of the account of <paramref name="event"/> among <paramref name="loops"/>: the same as
    /// <see cref="Of(string, int)"/> of its account id, from the hash the event already carries.
    /// </summary>
    /// <param name="event">The event.</param>
    /// <param name="loops">How many loops there are.</param>
    /// <returns>The loop index.</returns>
    public static int Of(AccountEvent @event, int loops)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(loops);
        return loops == 1 ? 0 : (int)(@event.AccountIdHash % (uint)loops);
    }
}

using System.Buffers;

namespace UsageSentinel.Core.Ports;

/// <summary>
/// Where a detection loop puts the state of accounts it evicts to stay under its account cap, and takes it back on
/// their next event. The bytes are the versioned account-state encoding. Used by one loop at a time.
/// </summary>
public interface IAccountStateStore
{
    /// <summary>Keeps an evicted account's state, replacing any kept before.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="state">Its encoded state.</param>
    void Save(string accountId, ReadOnlySpan<byte> state);

    /// <summary>Takes an account's state back out of the store.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="destination">Receives the encoded state.</param>
    /// <returns><see langword="true"/> when the store had the account.</returns>
    bool TryTake(string accountId, IBufferWriter<byte> destination);
}

using System.Buffers;
using UsageSentinel.Core.Ports;

namespace UsageSentinel.Core.State;

/// <summary>
/// Keeps evicted accounts' encoded state in memory: about a third of the heap a live account takes. The default
/// store of a capped engine (replay); the worker's engines evict to the state topic instead.
/// </summary>
public sealed class InMemoryAccountStateStore : IAccountStateStore
{
    private readonly Dictionary<string, byte[]> _states = new(StringComparer.Ordinal);

    /// <summary>Gets the number of accounts kept.</summary>
    public int Count => _states.Count;

    /// <inheritdoc />
    public void Save(string accountId, ReadOnlySpan<byte> state) => _states[accountId] = state.ToArray();

    /// <inheritdoc />
    public bool TryTake(string accountId, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!_states.Remove(accountId, out var state))
        {
            return false;
        }

        destination.Write(state);
        return true;
    }
}

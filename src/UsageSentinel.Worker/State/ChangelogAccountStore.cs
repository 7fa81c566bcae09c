using System.Buffers;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using UsageSentinel.Core.Ports;

namespace UsageSentinel.Worker.State;

/// <summary>
/// Where one partition's engine puts the accounts it evicts under <c>Detection:MaxTrackedAccounts</c>: each is written
/// to the partition's changelog partition at once (an eviction record, which restore skips: the next checkpoint
/// writes the account as usual), and only its offset stays in memory once Kafka acknowledges it. The next event of
/// the account reads it back from that offset. Until the acknowledgement the bytes are kept, so a reload never waits.
/// </summary>
internal sealed class ChangelogAccountStore(TopicPartition changelog, Action<TopicPartition, string, byte[], Action<long>> write, ChangelogPointReader reader) : IAccountStateStore
{
    private readonly Dictionary<string, (long Version, byte[] State)> _unacknowledged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    /// <summary>Gets the evicted accounts whose state is only in Kafka now.</summary>
    public int InKafkaOnly
    {
        get
        {
            lock (_gate)
            {
                return _offsets.Count;
            }
        }
    }

    /// <inheritdoc />
    public void Save(string accountId, ReadOnlySpan<byte> state)
    {
        var bytes = state.ToArray();
        long version;
        lock (_gate)
        {
            version = ++_version;
            _unacknowledged[accountId] = (version, bytes);
            _offsets.Remove(accountId);
        }

        write(changelog, accountId, bytes, offset =>
        {
            lock (_gate)
            {
                // Only the newest eviction of the account may move to Kafka-only: an older one acknowledged late
                // must not replace newer bytes (evicted, reloaded, changed and evicted again meanwhile).
                if (_unacknowledged.TryGetValue(accountId, out var kept) && kept.Version == version)
                {
                    _unacknowledged.Remove(accountId);
                    _offsets[accountId] = offset;
                }
            }
        });
    }

    /// <inheritdoc />
    public bool TryTake(string accountId, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long offset;
        lock (_gate)
        {
            if (_unacknowledged.Remove(accountId, out var kept))
            {
                destination.Write(kept.State);
                return true;
            }

            if (!_offsets.Remove(accountId, out offset))
            {
                return false;
            }
        }

        destination.Write(reader.Read(new TopicPartitionOffset(changelog, offset), accountId));
        return true;
    }
}

/// <summary>Reads single records of the changelog by offset, for accounts evicted to it. Shared by a worker's loops.</summary>
internal sealed class ChangelogPointReader(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout) : IDisposable
{
    private readonly Lock _gate = new();
    private long _reads;

    /// <summary>Gets the records read.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>
    /// Reads <paramref name="accountId"/>'s state written at <paramref name="position"/>, or — when compaction removed that
    /// record because the next checkpoint wrote the same state again — its first record after it.
    /// </summary>
    /// <exception cref="InvalidDataException">No record of the account at or after the position within the timeout.</exception>
    public byte[] Read(TopicPartitionOffset position, string accountId)
    {
        lock (_gate)
        {
            consumer.Assign(position);
            try
            {
                var started = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(started) < timeout)
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(20)) is not { } result || result.Message.Key is not { } key || result.Message.Value is not { } value
                        || StateRecords.IsCheckpoint(result.Message.Headers)
                        || !string.Equals(Encoding.UTF8.GetString(key), accountId, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    Interlocked.Increment(ref _reads);
                    return value;
                }

                throw new InvalidDataException($"The evicted state of account {accountId} was not found at or after {position.Topic} [{position.Partition.Value}] @{position.Offset.Value} within {timeout}.");
            }
            finally
            {
                consumer.Unassign();
            }
        }
    }

    public void Dispose() => consumer.Dispose();
}

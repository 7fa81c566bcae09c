using System.Diagnostics;
using Confluent.Kafka;

namespace UsageSentinel.Worker.State;

/// <summary>
/// Reads one changelog partition from its start to its end: the accounts as of the last complete checkpoint and that
/// checkpoint. Account records that no checkpoint record closes (a checkpoint cut short) are ignored.
/// </summary>
public static class ChangelogRestorer
{
    /// <summary>Reads a partition.</summary>
    /// <param name="consumer">A consumer without a group subscription; assigned and unassigned here.</param>
    /// <param name="partition">The changelog partition.</param>
    /// <param name="timeout">How long the read may take.</param>
    /// <param name="accountId">Only this account's state (for inspection); every account by default.</param>
    /// <param name="known">The partition's log start and end when already known (queried for many partitions at once); queried otherwise.</param>
    /// <returns>The restored state.</returns>
    /// <exception cref="TimeoutException">The partition could not be read within <paramref name="timeout"/>.</exception>
    public static RestoredPartition Read(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition, TimeSpan timeout, string? accountId = null, WatermarkOffsets? known = null)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(partition);
        var clock = Stopwatch.StartNew();
        var watermarks = known ?? consumer.QueryWatermarkOffsets(partition, timeout);
        var committed = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var pending = new Dictionary<string, (byte[] Checkpoint, byte[] State)>(StringComparer.Ordinal);
        Checkpoint? checkpoint = null;
        long records = 0;
        var ignored = 0;
        var epoch = 0L;
        if (watermarks.High.Value > watermarks.Low.Value)
        {
            consumer.Assign(new TopicPartitionOffset(partition, watermarks.Low));
            try
            {
                var next = watermarks.Low.Value;
                while (next < watermarks.High.Value)
                {
                    if (clock.Elapsed > timeout)
                    {
                        throw new TimeoutException($"Restoring {partition.Topic}[{partition.Partition.Value}] did not finish within {timeout} (at offset {next} of {watermarks.High.Value}).");
                    }

                    var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                    if (result is null || result.IsPartitionEOF)
                    {
                        continue;
                    }

                    next = result.Offset.Value + 1;
                    records++;
                    var recordEpoch = StateRecords.EpochOf(result.Message.Headers);
                    if (StateRecords.IsOwner(result.Message.Headers))
                    {
                        epoch = Math.Max(epoch, recordEpoch);
                        continue;
                    }

                    if (recordEpoch < epoch)
                    {
                        ignored++; // written by an earlier owner after the partition moved on: a zombie's
                        continue;
                    }

                    if (StateRecords.IsCheckpoint(result.Message.Headers))
                    {
                        checkpoint = StateRecords.Decode(result.Message.Value);
                        var id = StateRecords.CheckpointIdOf(result.Message.Headers);
                        foreach (var (account, (belongsTo, state)) in pending)
                        {
                            if (belongsTo.AsSpan().SequenceEqual(id))
                            {
                                committed[account] = state;
                            }
                            else
                            {
                                ignored++;
                            }
                        }

                        pending.Clear();
                    }
                    else if (StateRecords.IsEviction(result.Message.Headers))
                    {
                        // An account evicted under the cap; the next checkpoint wrote it as an account record.
                    }
                    else if (result.Message.Key is { } key && result.Message.Value is { } value)
                    {
                        var account = System.Text.Encoding.UTF8.GetString(key);
                        if (accountId is null || string.Equals(account, accountId, StringComparison.Ordinal))
                        {
                            pending[account] = (StateRecords.CheckpointIdOf(result.Message.Headers), value);
                        }
                    }
                }
            }
            finally
            {
                consumer.Unassign();
            }
        }

        return new RestoredPartition(partition.Partition.Value, committed, checkpoint, records, ignored + pending.Count, clock.Elapsed, epoch);
    }
}

/// <summary>What one changelog partition held.</summary>
/// <param name="Partition">The partition number.</param>
/// <param name="Accounts">Account id → state, as of <paramref name="Checkpoint"/>.</param>
/// <param name="Checkpoint">The last complete checkpoint, or null when there is none.</param>
/// <param name="Records">Records read.</param>
/// <param name="Ignored">Account records of checkpoints never finished, ignored.</param>
/// <param name="Elapsed">How long the read took.</param>
/// <param name="Epoch">The newest owner epoch in the partition; the next owner takes the one after.</param>
public sealed record RestoredPartition(int Partition, IReadOnlyDictionary<string, byte[]> Accounts, Checkpoint? Checkpoint, long Records, int Ignored, TimeSpan Elapsed, long Epoch = 0);

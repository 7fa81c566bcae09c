using System.Threading.Channels;

namespace UsageSentinel.Webhooks.Outbox;

/// <summary>Hands one receiver's accepted deliveries from the outbox to its lane, in sequence order.</summary>
internal sealed class DeliveryQueue
{
    private readonly Channel<OutboxEntry> _channel = Channel.CreateUnbounded<OutboxEntry>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public void Add(OutboxEntry entry) => _channel.Writer.TryWrite(entry);

    public bool TryTake(out OutboxEntry entry) => _channel.Reader.TryRead(out entry!);

    /// <summary>Completes when an entry is waiting (or the token is cancelled).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken).AsTask();
}

using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>A configured receiver with its format and the mask of all receivers' secrets.</summary>
internal sealed class Receiver(string name, ReceiverOptions options, SecretMask mask)
{
    public string Name { get; } = name;

    public ReceiverOptions Options { get; } = options;

    public string TypeName { get; } = options.Type!.Value.ToWireName();

    public IReceiverFormat Format { get; } = ReceiverFormats.Create(options);

    public SecretMask Mask { get; } = mask;
}

using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace UsageSentinel.EmbeddedKafka;

/// <summary>
/// An in-process Kafka cluster: the mock cluster built into librdkafka, listening on loopback and
/// speaking the real Kafka wire protocol, so any Kafka client can use
/// <see cref="BootstrapServers"/>. It supports producing (idempotent and transactional), consumer
/// groups with committed offsets, and fault injection. Nothing is persisted.
/// </summary>
/// <remarks>
/// Broker ids run from 1 to the broker count. Methods may be called from any thread, but not
/// concurrently with <see cref="Dispose"/>. Dispose clients before the cluster.
/// </remarks>
public sealed class MockKafkaCluster : IDisposable
{
    /// <summary>
    /// Settings of the client that owns the cluster. It never connects anywhere, so its notice
    /// about having no <c>bootstrap.servers</c> is noise; the cluster's warnings and errors, logged
    /// through it, still reach stderr.
    /// </summary>
    private static readonly (string Name, string Value)[] OwnerClientConfig =
    [
        ("client.id", "usage-sentinel-mock-cluster"),
        ("log_level", "4"),
    ];

    private readonly int _brokerCount;
    private nint _client;
    private nint _cluster;

    private MockKafkaCluster(nint client, nint cluster, int brokerCount, string bootstrapServers)
    {
        _client = client;
        _cluster = cluster;
        _brokerCount = brokerCount;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>
    /// Comma-separated <c>host:port</c> list of the brokers, e.g. <c>127.0.0.1:40123</c>, for a
    /// client's <c>bootstrap.servers</c>.
    /// </summary>
    public string BootstrapServers { get; }

    /// <summary>
    /// Starts a cluster of <paramref name="brokers"/> brokers on free loopback ports. New consumer
    /// groups rebalance at once rather than after the broker's usual 3 s initial delay.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="brokers"/> is not positive.</exception>
    /// <exception cref="DllNotFoundException">No librdkafka build with the mock API could be loaded.</exception>
    /// <exception cref="InvalidOperationException">librdkafka refused to create the cluster.</exception>
    public static MockKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(brokers);

        var client = CreateOwnerClient();
        var cluster = LibRdKafkaNative.MockClusterNew(client, brokers);
        if (cluster == 0)
        {
            LibRdKafkaNative.Destroy(client);
            throw new InvalidOperationException($"librdkafka could not create a mock cluster of {brokers} brokers.");
        }

        LibRdKafkaNative.MockGroupInitialRebalanceDelayMs(cluster, 0);
        var bootstrapServers = Marshal.PtrToStringUTF8(LibRdKafkaNative.MockClusterBootstraps(cluster)) ?? string.Empty;
        return new MockKafkaCluster(client, cluster, brokers, bootstrapServers);
    }

    /// <summary>Creates <paramref name="topic"/> with the given partitions and replicas.</summary>
    /// <exception cref="ArgumentException"><paramref name="topic"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="partitions"/> is not positive, or <paramref name="replicationFactor"/> is not
    /// between 1 and the broker count.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// librdkafka refused, e.g. <c>TOPIC_ALREADY_EXISTS</c>; the message names the error.
    /// </exception>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(replicationFactor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, _brokerCount);

        var error = LibRdKafkaNative.MockTopicCreate(Cluster, topic, partitions, replicationFactor);
        ThrowOnError(error, $"create topic '{topic}'");
    }

    /// <summary>
    /// Disconnects broker <paramref name="brokerId"/> and refuses new connections to it, without
    /// moving partition leadership.
    /// </summary>
    /// <exception cref="InvalidOperationException">librdkafka refused, e.g. an unknown broker id.</exception>
    public void SetBrokerDown(int brokerId) =>
        ThrowOnError(LibRdKafkaNative.MockBrokerSetDown(Cluster, brokerId), $"set broker {brokerId} down");

    /// <summary>Lets broker <paramref name="brokerId"/> accept connections again.</summary>
    /// <exception cref="InvalidOperationException">librdkafka refused, e.g. an unknown broker id.</exception>
    public void SetBrokerUp(int brokerId) =>
        ThrowOnError(LibRdKafkaNative.MockBrokerSetUp(Cluster, brokerId), $"set broker {brokerId} up");

    /// <summary>
    /// Delays every response of broker <paramref name="brokerId"/> by <paramref name="rtt"/>
    /// (whole milliseconds); <see cref="TimeSpan.Zero"/> removes the delay.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rtt"/> is negative or over <see cref="int.MaxValue"/> ms.</exception>
    /// <exception cref="InvalidOperationException">librdkafka refused, e.g. an unknown broker id.</exception>
    public void SetBrokerRtt(int brokerId, TimeSpan rtt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rtt, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rtt.TotalMilliseconds, int.MaxValue, nameof(rtt));

        var error = LibRdKafkaNative.MockBrokerSetRtt(Cluster, brokerId, (int)rtt.TotalMilliseconds);
        ThrowOnError(error, $"set the round-trip time of broker {brokerId}");
    }

    /// <summary>
    /// Makes the next requests of Kafka protocol type <paramref name="apiKey"/> (e.g. 0 for
    /// Produce, 1 for Fetch, 8 for OffsetCommit) fail, on any broker, with
    /// <paramref name="errors"/> in order, one error per request.
    /// <see cref="ErrorCode.Local_Transport"/> makes the broker drop the connection instead.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    public void PushRequestErrors(short apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentOutOfRangeException.ThrowIfZero(errors.Length, nameof(errors));

        var cluster = Cluster;
        var codes = Array.ConvertAll(errors, static error => (int)error);
        unsafe
        {
            fixed (int* first = codes)
            {
                LibRdKafkaNative.MockPushRequestErrorsArray(cluster, apiKey, (nuint)codes.Length, first);
            }
        }
    }

    /// <summary>Stops the brokers and frees the cluster; later calls do nothing.</summary>
    public void Dispose()
    {
        var cluster = Interlocked.Exchange(ref _cluster, 0);
        if (cluster != 0)
        {
            LibRdKafkaNative.MockClusterDestroy(cluster);
        }

        var client = Interlocked.Exchange(ref _client, 0);
        if (client != 0)
        {
            LibRdKafkaNative.Destroy(client);
        }
    }

    private nint Cluster
    {
        get
        {
            var cluster = Volatile.Read(ref _cluster);
            ObjectDisposedException.ThrowIf(cluster == 0, this);
            return cluster;
        }
    }

    /// <summary>The producer handle librdkafka requires to own a mock cluster; it sends nothing.</summary>
    private static unsafe nint CreateOwnerClient()
    {
        var errorString = stackalloc byte[LibRdKafkaNative.ErrorStringSize];
        var conf = LibRdKafkaNative.ConfNew();
        foreach (var (name, value) in OwnerClientConfig)
        {
            if (LibRdKafkaNative.ConfSet(conf, name, value, errorString, LibRdKafkaNative.ErrorStringSize)
                != LibRdKafkaNative.ConfigOk)
            {
                LibRdKafkaNative.ConfDestroy(conf);
                throw new InvalidOperationException(
                    $"librdkafka rejected the mock cluster setting {name}: {Marshal.PtrToStringUTF8((nint)errorString)}");
            }
        }

        var client = LibRdKafkaNative.New(LibRdKafkaNative.ProducerType, conf, errorString, LibRdKafkaNative.ErrorStringSize);
        if (client == 0)
        {
            // rd_kafka_new takes ownership of the configuration only when it succeeds.
            LibRdKafkaNative.ConfDestroy(conf);
            throw new InvalidOperationException(
                $"librdkafka could not create the mock cluster's client: {Marshal.PtrToStringUTF8((nint)errorString)}");
        }

        return client;
    }

    private static void ThrowOnError(int error, string action)
    {
        if (error != (int)ErrorCode.NoError)
        {
            throw new InvalidOperationException(
                $"Mock Kafka cluster could not {action}: {LibRdKafkaNative.ErrorName(error)} ({error}).");
        }
    }
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace UsageSentinel.EmbeddedKafka;

/// <summary>
/// The librdkafka entry points the mock cluster needs: the client handle that owns the cluster and
/// the experimental mock API of <c>rdkafka_mock.h</c>. The library name is resolved at run time by
/// <see cref="LibRdKafkaLoader"/>, so every import binds to the same librdkafka file that
/// Confluent.Kafka loads.
/// </summary>
/// <remarks>
/// Strings passed in are UTF-8. Strings returned (<c>const char*</c>) are owned by librdkafka, so
/// they come back as pointers and are copied with <see cref="Marshal.PtrToStringUTF8(nint)"/>.
/// </remarks>
internal static unsafe partial class LibRdKafkaNative
{
    /// <summary><c>RD_KAFKA_PRODUCER</c> in <c>rd_kafka_type_t</c>.</summary>
    internal const int ProducerType = 0;

    /// <summary><c>RD_KAFKA_CONF_OK</c> in <c>rd_kafka_conf_res_t</c>.</summary>
    internal const int ConfigOk = 0;

    /// <summary>Buffer size for librdkafka's <c>errstr</c> out-parameters.</summary>
    internal const int ErrorStringSize = 512;

    static LibRdKafkaNative() => LibRdKafkaLoader.Register();

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_conf_new")]
    internal static partial nint ConfNew();

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_conf_destroy")]
    internal static partial void ConfDestroy(nint conf);

    [LibraryImport(
        LibRdKafkaLoader.LibraryName,
        EntryPoint = "rd_kafka_conf_set",
        StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(nint conf, string name, string value, byte* errorString, nuint errorStringSize);

    /// <remarks>Takes ownership of <paramref name="conf"/> only when it succeeds.</remarks>
    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_new")]
    internal static partial nint New(int type, nint conf, byte* errorString, nuint errorStringSize);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_destroy")]
    internal static partial void Destroy(nint client);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_err2name")]
    internal static partial nint ErrorToName(int error);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial nint MockClusterNew(nint client, int brokerCount);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    internal static partial void MockClusterDestroy(nint cluster);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial nint MockClusterBootstraps(nint cluster);

    [LibraryImport(
        LibRdKafkaLoader.LibraryName,
        EntryPoint = "rd_kafka_mock_topic_create",
        StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MockTopicCreate(nint cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    internal static partial void MockGroupInitialRebalanceDelayMs(nint cluster, int delayMs);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_mock_broker_set_down")]
    internal static partial int MockBrokerSetDown(nint cluster, int brokerId);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_mock_broker_set_up")]
    internal static partial int MockBrokerSetUp(nint cluster, int brokerId);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    internal static partial int MockBrokerSetRtt(nint cluster, int brokerId, int rttMs);

    [LibraryImport(LibRdKafkaLoader.LibraryName, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    internal static partial void MockPushRequestErrorsArray(nint cluster, short apiKey, nuint count, int* errors);

    /// <summary>The librdkafka name of an error code, e.g. <c>TOPIC_ALREADY_EXISTS</c>.</summary>
    internal static string ErrorName(int error) =>
        Marshal.PtrToStringUTF8(ErrorToName(error)) ?? error.ToString(CultureInfo.InvariantCulture);
}

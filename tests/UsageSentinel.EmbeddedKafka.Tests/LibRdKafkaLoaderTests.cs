using Confluent.Kafka;
using Xunit.Abstractions;

namespace UsageSentinel.EmbeddedKafka.Tests;

public sealed class LibRdKafkaLoaderTests(ITestOutputHelper output)
{
    private const string MapsPath = "/proc/self/maps";

    [Fact]
    public void LoadedPath_AfterClusterStarted_IsAnExistingLibRdKafkaBuild()
    {
        using var cluster = MockKafkaCluster.Start();

        output.WriteLine($"librdkafka {Library.VersionString} from {LibRdKafkaLoader.LoadedPath}");
        File.Exists(LibRdKafkaLoader.LoadedPath).ShouldBeTrue();
        Path.GetFileName(LibRdKafkaLoader.LoadedPath).ShouldContain("librdkafka");
    }

    [Fact]
    public void LoadedPath_WithConfluentClientInProcess_IsTheOnlyLibRdKafkaMapped()
    {
        using var cluster = MockKafkaCluster.Start();
        using var producer = KafkaTestClients.CreateProducer(cluster);

        // On Linux the process maps show every librdkafka file loaded; elsewhere the
        // loader's own choice is all there is to compare with.
        var mapped = File.Exists(MapsPath)
            ? File.ReadLines(MapsPath)
                .Select(static line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(static fields => fields.Length == 6 && Path.GetFileName(fields[5]).Contains("librdkafka", StringComparison.Ordinal))
                .Select(static fields => fields[5])
                .Distinct()
                .ToArray()
            : [LibRdKafkaLoader.LoadedPath];

        mapped.ShouldHaveSingleItem().ShouldBe(LibRdKafkaLoader.LoadedPath);
        Library.IsLoaded.ShouldBeTrue();
    }
}

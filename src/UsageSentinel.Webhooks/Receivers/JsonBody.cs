using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>Builds a JSON request body with a <see cref="Utf8JsonWriter"/>.</summary>
internal static class JsonBody
{
    public static HttpContent Create<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, state);
        }

        return Utf8(buffer.WrittenMemory);
    }

    public static HttpContent Utf8(ReadOnlyMemory<byte> json)
    {
        var content = new ReadOnlyMemoryContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}

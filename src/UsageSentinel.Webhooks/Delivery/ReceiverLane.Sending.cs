using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>One send through the receiver's resilience pipeline, classified.</summary>
internal sealed partial class ReceiverLane
{
    private const int MaxExcerptLength = 200;

    private async Task<SendResult> SendAsync(List<OutboxEntry> batch, AttemptCounter counter, CancellationToken cancellationToken)
    {
        try
        {
            using var request = _receiver.Format.CreateRequest(batch, _time.GetUtcNow());
            request.Options.Set(DeliveryRequestOptions.Receiver, _receiver.Name);
            request.Options.Set(DeliveryRequestOptions.Attempts, counter);
            var client = _clients.CreateClient(WebhooksConstants.HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return SendResult.Delivered;
            }

            var status = $"HTTP {(int)response.StatusCode} ({response.StatusCode})";
            if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
            {
                return SendResult.Transient(status, RetryAfterHeader.Read(response, _time.GetUtcNow()));
            }

            var excerpt = await ExcerptAsync(response, cancellationToken);
            return SendResult.Rejected(_receiver.Mask.Apply(excerpt.Length == 0 ? status : $"{status}: {excerpt}"));
        }
        catch (BrokenCircuitException ex)
        {
            _stats.OnCircuitRejection();
            return SendResult.Transient("circuit open", ex.RetryAfter);
        }
        catch (TimeoutRejectedException)
        {
            return SendResult.Transient($"timed out after {Options.Timeout}");
        }
        catch (HttpRequestException ex)
        {
            return SendResult.Transient($"network error ({ex.HttpRequestError})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendResult.Transient("timed out");
        }
    }

    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxExcerptLength ? text : string.Concat(text.AsSpan(0, MaxExcerptLength), "…");
    }
}

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>Sits inside the resilience handler, so it sees every attempt: counts attempts per request and failed attempts in <see cref="AlertingStats"/>.</summary>
internal sealed class AttemptCountingHandler(AlertingStats stats) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(DeliveryRequestOptions.Attempts, out var counter))
        {
            counter.Increment();
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                stats.OnFailedAttempt();
            }

            return response;
        }
        catch
        {
            stats.OnFailedAttempt();
            throw;
        }
    }
}

using System.Text.Json;

namespace UsageSentinel.Simulation.Engine;

/// <summary>Serialisation of scheduled events per the wire contract. Optional fields are left out now and then
/// (from a separate random stream) so consumers exercise their defaults.</summary>
internal abstract partial class AccountSimulation
{
    private const string Currency = "USD";
    private const string GpuInstanceUsage = "gpu_instance";

    private SimulatedEvent? Write(in PendingEvent pending, EventJsonBuffer json)
    {
        decimal amount = 0;
        switch (pending.Kind)
        {
            case PendingKind.Charge:
                var instance = (SimInstance)pending.Subject!;
                amount = ChargeFor(instance, pending.From, pending.To);
                _unpaid += amount;
                break;
            case PendingKind.Payment:
                if (_unpaid <= 0)
                {
                    return null;
                }

                amount = _unpaid;
                _unpaid = 0;
                break;
        }

        string eventId = NextEventId();
        Utf8JsonWriter writer = json.Begin();
        writer.WriteStartObject();
        writer.WriteString(JsonNames.EventId, eventId);
        writer.WriteString(JsonNames.EventType, EventTypeOf(pending.Kind));
        EventJsonBuffer.WriteTime(writer, JsonNames.OccurredAt, pending.Time);
        writer.WriteString(JsonNames.AccountId, AccountId);
        if (Sometimes(0.5))
        {
            writer.WriteNumber(JsonNames.SchemaVersion, 1);
        }

        switch (pending.Kind)
        {
            case PendingKind.Profile:
                WriteProfile(writer, (AccountProfile)pending.Subject!);
                break;
            case PendingKind.Launch:
                WriteLaunch(writer, (SimInstance)pending.Subject!);
                break;
            case PendingKind.Terminate:
                WriteTermination(writer, (SimInstance)pending.Subject!);
                break;
            case PendingKind.Access:
                WriteAccess(writer, (AccessSession)pending.Subject!);
                break;
            case PendingKind.Charge:
                WriteCharge(writer, (SimInstance)pending.Subject!, pending.From, pending.To, amount);
                break;
            default:
                WritePayment(writer, (PaymentPlan)pending.Subject!, amount);
                break;
        }

        writer.WriteEndObject();
        return new SimulatedEvent(pending.Time, TopicOf(pending.Kind), AccountId, eventId, json.Complete());
    }

    private static decimal ChargeFor(SimInstance instance, DateTimeOffset from, DateTimeOffset to)
    {
        decimal hours = (decimal)(long)(to - from).TotalSeconds / 3600m;
        return decimal.Round(hours * instance.Type.HourlyUsd * instance.PriceFactor, 2, MidpointRounding.AwayFromZero);
    }

    private bool Sometimes(double probability) => _cosmetic.Chance(probability);

    private static void WriteProfile(Utf8JsonWriter writer, AccountProfile profile)
    {
        EventJsonBuffer.WriteTime(writer, JsonNames.CreatedAt, profile.CreatedAt);
        writer.WriteString(JsonNames.DeclaredCountry, profile.DeclaredCountry);
        writer.WriteString(JsonNames.KycStatus, profile.KycStatus);
        writer.WriteString(JsonNames.EntityType, profile.EntityType);
        writer.WriteString(JsonNames.EmailDomain, profile.EmailDomain);
        if (profile.ParentAccountId is { } parent)
        {
            writer.WriteString(JsonNames.ParentAccountId, parent);
        }

        if (profile.BeneficialOwnerCountry is { } owner)
        {
            writer.WriteString(JsonNames.BeneficialOwnerCountry, owner);
        }

        if (profile.Allowlisted is { } allowlisted)
        {
            writer.WriteBoolean(JsonNames.Allowlisted, allowlisted);
        }
    }

    private void WriteLaunch(Utf8JsonWriter writer, SimInstance instance)
    {
        writer.WriteString(JsonNames.InstanceId, instance.Id);
        writer.WriteString(JsonNames.InstanceType, instance.Type.Name);
        if (Sometimes(0.1))
        {
            writer.WriteString(JsonNames.GpuModel, instance.Type.WireGpuModel);
        }

        if (Sometimes(0.25))
        {
            writer.WriteNumber(JsonNames.GpuCount, instance.Type.GpuCount);
        }

        writer.WriteString(JsonNames.Region, instance.Region);
        if (instance.Zone is { } zone && Sometimes(0.9))
        {
            writer.WriteString(JsonNames.Zone, zone);
        }

        if (instance.PlacementGroup is { } group)
        {
            writer.WriteString(JsonNames.PlacementGroup, group);
        }

        if (Sometimes(0.2))
        {
            writer.WriteNumber(JsonNames.NetworkGbps, instance.Type.FabricGbps);
        }

        if (instance.PricingModel != PricingModels.OnDemand || Sometimes(0.7))
        {
            writer.WriteString(JsonNames.PricingModel, instance.PricingModel);
        }

        if (instance.PayerAccountId is { } payer)
        {
            writer.WriteString(JsonNames.PayerAccountId, payer);
        }

        if (instance.ResellerId is { } reseller)
        {
            writer.WriteString(JsonNames.ResellerId, reseller);
        }

        if (instance.Caller is { } caller && Sometimes(0.97))
        {
            var origin = instance.CallerOrigin ?? caller.Origin;
            writer.WriteStartObject(JsonNames.Caller);
            writer.WriteString(JsonNames.PrincipalId, caller.Id);
            writer.WriteString(JsonNames.SourceIp, origin.SourceIp);
            writer.WriteString(JsonNames.SourceCountry, origin.Country);
            writer.WriteNumber(JsonNames.SourceAsn, origin.Asn);
            if (origin.Anonymizer || Sometimes(0.8))
            {
                writer.WriteBoolean(JsonNames.Anonymizer, origin.Anonymizer);
            }

            writer.WriteEndObject();
        }

        if (instance.SshKeyFingerprint is { } key)
        {
            writer.WriteString(JsonNames.SshKeyFingerprint, key);
        }
    }

    private void WriteTermination(Utf8JsonWriter writer, SimInstance instance)
    {
        writer.WriteString(JsonNames.InstanceId, instance.Id);
        if (instance.TerminationReason is { } reason && Sometimes(0.6))
        {
            writer.WriteString(JsonNames.Reason, reason);
        }
    }

    private void WriteAccess(Utf8JsonWriter writer, AccessSession session)
    {
        if (session.InstanceId is { } instanceId && Sometimes(0.8))
        {
            writer.WriteString(JsonNames.InstanceId, instanceId);
        }

        writer.WriteString(JsonNames.PrincipalId, session.Principal.Id);
        if (Sometimes(0.95))
        {
            writer.WriteString(JsonNames.SourceIp, session.Origin.SourceIp);
        }

        writer.WriteString(JsonNames.SourceCountry, session.Origin.Country);
        writer.WriteNumber(JsonNames.SourceAsn, session.Origin.Asn);
        if (session.Origin.Anonymizer || Sometimes(0.7))
        {
            writer.WriteBoolean(JsonNames.Anonymizer, session.Origin.Anonymizer);
        }

        if (Sometimes(0.95))
        {
            writer.WriteString(JsonNames.Protocol, session.Protocol);
        }
    }

    private void WriteCharge(Utf8JsonWriter writer, SimInstance instance, DateTimeOffset from, DateTimeOffset to, decimal amount)
    {
        EventJsonBuffer.WriteMoney(writer, JsonNames.Amount, amount);
        writer.WriteString(JsonNames.Currency, Currency);
        writer.WriteString(JsonNames.UsageType, GpuInstanceUsage);
        if (Sometimes(0.95))
        {
            writer.WriteString(JsonNames.InstanceType, instance.Type.Name);
        }

        writer.WriteString(JsonNames.InstanceId, instance.Id);
        if (Sometimes(0.9))
        {
            writer.WriteNumber(JsonNames.UsageQuantity, Math.Round((to - from).TotalHours, 4));
        }

        if (Sometimes(0.9))
        {
            EventJsonBuffer.WriteTime(writer, JsonNames.PeriodStart, from);
            EventJsonBuffer.WriteTime(writer, JsonNames.PeriodEnd, to);
        }
    }

    private void WritePayment(Utf8JsonWriter writer, PaymentPlan plan, decimal amount)
    {
        EventJsonBuffer.WriteMoney(writer, JsonNames.Amount, amount);
        writer.WriteString(JsonNames.Currency, Currency);
        if (Sometimes(0.97))
        {
            writer.WriteStartObject(JsonNames.PaymentMethod);
            writer.WriteString(JsonNames.Fingerprint, plan.Fingerprint);
            writer.WriteString(JsonNames.Kind, plan.Kind);
            writer.WriteString(JsonNames.IssuerCountry, plan.IssuerCountry);
            writer.WriteEndObject();
        }

        if (Sometimes(0.9))
        {
            writer.WriteString(JsonNames.PayerCountry, plan.PayerCountry);
        }

        if (plan.ThirdParty || Sometimes(0.5))
        {
            writer.WriteBoolean(JsonNames.ThirdParty, plan.ThirdParty);
        }
    }
}

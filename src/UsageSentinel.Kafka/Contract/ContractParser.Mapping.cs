using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Kafka.Contract;

/// <summary>Validation and mapping of a deserialized <see cref="EventDto"/> to a Core event, per event type.</summary>
public static partial class ContractParser
{
    private static bool TryReadHeader(EventDto dto, out AccountEventKind kind, out ContractError error)
    {
        kind = default;
        if (dto.SchemaVersion is { } version && version != ContractFields.SupportedSchemaVersion)
        {
            error = new(
                DeadLetterReason.UnsupportedSchemaVersion,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"$.schema_version {version} is not supported; this build reads version {ContractFields.SupportedSchemaVersion}"));
            return false;
        }

        if (!TryRequired(dto.EventType, "$.event_type", out string? eventType, out error))
        {
            return false;
        }

        if (!EventTypeNames.TryParse(eventType, out kind))
        {
            error = new(DeadLetterReason.UnknownEventType, "$.event_type " + Echo(eventType) + " is not a known event type");
            return false;
        }

        return true;
    }

    private static bool TryMap(EventDto dto, [NotNullWhen(true)] out AccountEvent? @event, out ContractError error)
    {
        @event = null;
        if (!TryReadHeader(dto, out AccountEventKind kind, out error)
            || !TryId(dto.EventId, "$.event_id", out string? eventId, out error)
            || !TryId(dto.AccountId, "$.account_id", out string? accountId, out error)
            || !TryRequiredTimestamp(dto.OccurredAt, "$.occurred_at", out DateTimeOffset occurredAt, out error))
        {
            return false;
        }

        var common = new Common(eventId, accountId, occurredAt);
        return kind switch
        {
            AccountEventKind.InstanceLaunched => TryMapLaunched(dto, common, out @event, out error),
            AccountEventKind.InstanceTerminated => TryMapTerminated(dto, common, out @event, out error),
            AccountEventKind.InstanceAccessed => TryMapAccessed(dto, common, out @event, out error),
            AccountEventKind.UsageBilled => TryMapCharge(dto, common, out @event, out error),
            AccountEventKind.PaymentMade => TryMapPayment(dto, common, out @event, out error),
            _ => TryMapAccount(dto, common, out @event, out error),
        };
    }

    private static bool TryMapLaunched(
        EventDto dto, in Common common, [NotNullWhen(true)] out AccountEvent? @event, out ContractError error)
    {
        @event = null;
        if (!TryRequired(dto.InstanceId, "$.instance_id", out string? instanceId, out error)
            || !TryRequired(dto.InstanceType, "$.instance_type", out string? instanceType, out error)
            || !TryRequired(dto.Region, "$.region", out string? region, out error)
            || !TryNonNegative(dto.GpuCount, "$.gpu_count", out error)
            || !TryNonNegative(dto.NetworkGbps, "$.network_gbps", out error)
            || !TryOneOf(dto.PricingModel, "$.pricing_model", ContractFields.PricingModels, out string? pricingModel, out error)
            || !TryMapCaller(dto.Caller, out CallerContext? caller, out error))
        {
            return false;
        }

        @event = new InstanceLaunched(common.EventId, common.AccountId, common.OccurredAt)
        {
            InstanceId = instanceId,
            InstanceType = instanceType,
            GpuModel = Optional(dto.GpuModel),
            GpuCount = dto.GpuCount,
            Region = region,
            Zone = Optional(dto.Zone),
            PlacementGroup = Optional(dto.PlacementGroup),
            NetworkGbps = dto.NetworkGbps,
            PricingModel = pricingModel,
            PayerAccountId = Optional(dto.PayerAccountId),
            ResellerId = Optional(dto.ResellerId),
            Caller = caller,
            SshKeyFingerprint = Optional(dto.SshKeyFingerprint),
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryMapCaller(CallerDto? dto, out CallerContext? caller, out ContractError error)
    {
        caller = null;
        if (dto is null)
        {
            return Ok(out error);
        }

        if (!TryCountry(dto.SourceCountry, "$.caller.source_country", out string? country, out error)
            || !TryAsn(dto.SourceAsn, "$.caller.source_asn", out error))
        {
            return false;
        }

        string? principalId = Optional(dto.PrincipalId);
        string? sourceIp = Optional(dto.SourceIp);
        if (principalId is not null || sourceIp is not null || country is not null || dto.SourceAsn is not null || dto.Anonymizer is not null)
        {
            caller = new CallerContext(principalId, sourceIp, country, dto.SourceAsn, dto.Anonymizer);
        }

        return true;
    }

    private static bool TryMapTerminated(
        EventDto dto, in Common common, [NotNullWhen(true)] out AccountEvent? @event, out ContractError error)
    {
        @event = null;
        if (!TryRequired(dto.InstanceId, "$.instance_id", out string? instanceId, out error))
        {
            return false;
        }

        @event = new InstanceTerminated(common.EventId, common.AccountId, common.OccurredAt)
        {
            InstanceId = instanceId,
            Reason = Optional(dto.Reason),
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryMapAccessed(
        EventDto dto, in Common common, [NotNullWhen(true)] out AccountEvent? @event, out ContractError error)
    {
        @event = null;
        if (!TryRequired(dto.PrincipalId, "$.principal_id", out string? principalId, out error)
            || !TryCountry(dto.SourceCountry, "$.source_country", out string? sourceCountry, out error)
            || !TryAsn(dto.SourceAsn, "$.source_asn", out error))
        {
            return false;
        }

        @event = new InstanceAccessed(common.EventId, common.AccountId, common.OccurredAt)
        {
            InstanceId = Optional(dto.InstanceId),
            PrincipalId = principalId,
            SourceIp = Optional(dto.SourceIp),
            SourceCountry = sourceCountry,
            SourceAsn = dto.SourceAsn,
            Anonymizer = dto.Anonymizer,
            Protocol = Optional(dto.Protocol),
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryMapCharge(
        EventDto dto, in Common common, [NotNullWhen(true)] out AccountEvent? @event, out ContractError error)
    {
        @event = null;
        if (!TryAmount(dto.Amount, "$.amount", out decimal amount, out error)
            || !TryCurrency(dto.Currency, "$.currency", out string? currency, out error)
            || !TryRequired(dto.UsageType, "$.usage_type", out string? usageType, out error)
            || !TryNonNegative(dto.UsageQuantity, "$.usage_quantity", out error)
            || !TryTimestamp(dto.PeriodStart, "$.period_start", out DateTimeOffset? periodStart, out error)
            || !TryTimestamp(dto.PeriodEnd, "$.period_end", out DateTimeOffset? periodEnd, out error))
        {
            return false;
        }

        if (periodStart is { } start && periodEnd is { } end && end < start)
        {
            error = new(DeadLetterReason.InvalidField, "$.period_end must not be before $.period_start");
            return false;
        }

        @event = new UsageBilled(common.EventId, common.AccountId, common.OccurredAt)
        {
            Amount = amount,
            Currency = currency,
            UsageType = usageType,
            InstanceType = Optional(dto.InstanceType),
            UsageQuantity = dto.UsageQuantity,
            PeriodStart = periodStart,
            PeriodEnd = periodEnd,
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryMapPayment(
        EventDto dto, in Common common, [NotNullWhen(true)] out AccountEvent? @event, out ContractError error)
    {
        @event = null;
        if (!TryAmount(dto.Amount, "$.amount", out decimal amount, out error)
            || !TryCurrency(dto.Currency, "$.currency", out string? currency, out error)
            || !TryMapPaymentMethod(dto.PaymentMethod, out PaymentMethod? method, out error)
            || !TryCountry(dto.PayerCountry, "$.payer_country", out string? payerCountry, out error))
        {
            return false;
        }

        @event = new PaymentMade(common.EventId, common.AccountId, common.OccurredAt)
        {
            Amount = amount,
            Currency = currency,
            Method = method,
            PayerCountry = payerCountry,
            ThirdParty = dto.ThirdParty,
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryMapPaymentMethod(PaymentMethodDto? dto, out PaymentMethod? method, out ContractError error)
    {
        method = null;
        if (dto is null)
        {
            return Ok(out error);
        }

        if (!TryOneOf(dto.Kind, "$.payment_method.kind", ContractFields.PaymentMethodKinds, out string? kind, out error)
            || !TryCountry(dto.IssuerCountry, "$.payment_method.issuer_country", out string? issuerCountry, out error))
        {
            return false;
        }

        string? fingerprint = Optional(dto.Fingerprint);
        if (fingerprint is not null || kind is not null || issuerCountry is not null)
        {
            method = new PaymentMethod(fingerprint, kind, issuerCountry);
        }

        return true;
    }

    private static bool TryMapAccount(
        EventDto dto, in Common common, [NotNullWhen(true)] out AccountEvent? @event, out ContractError error)
    {
        @event = null;
        if (!TryTimestamp(dto.CreatedAt, "$.created_at", out DateTimeOffset? createdAt, out error)
            || !TryCountry(dto.DeclaredCountry, "$.declared_country", out string? declaredCountry, out error)
            || !TryOneOf(dto.KycStatus, "$.kyc_status", ContractFields.KycStatuses, out string? kycStatus, out error)
            || !TryOneOf(dto.EntityType, "$.entity_type", ContractFields.EntityTypes, out string? entityType, out error)
            || !TryCountry(dto.BeneficialOwnerCountry, "$.beneficial_owner_country", out string? ownerCountry, out error))
        {
            return false;
        }

        @event = new AccountUpserted(common.EventId, common.AccountId, common.OccurredAt)
        {
            CreatedAt = createdAt,
            DeclaredCountry = declaredCountry,
            KycStatus = kycStatus,
            EntityType = entityType,
            ParentAccountId = Optional(dto.ParentAccountId),
            EmailDomain = Optional(dto.EmailDomain),
            BeneficialOwnerCountry = ownerCountry,
            Allowlisted = dto.Allowlisted,
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    /// <summary>The validated common fields.</summary>
    private readonly record struct Common(string EventId, string AccountId, DateTimeOffset OccurredAt);
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Kafka.Contract;

/// <summary>
/// The fast path: one forward pass with a <see cref="Utf8JsonReader"/> over the message bytes, no DTO.
/// </summary>
/// <remarks>
/// <para>
/// The fast path only ever answers "accepted, and this is the event". Whenever it sees anything it does not handle
/// exactly like the DTO path — malformed JSON, a wrong JSON type, a value that breaks a rule, an escaped property
/// name — it gives up, and <see cref="TryParse"/> runs the DTO path on the message, which produces the error (or,
/// for a message the fast path merely declined, the same event). So its rules may be stricter than the DTO path's,
/// never looser, and every error message still comes from one place.
/// </para>
/// <para>
/// It mirrors what the source-generated deserialization of <see cref="EventDto"/> accepts: case-sensitive names,
/// unknown properties skipped, the last of duplicate properties wins (a nested object is replaced, not merged),
/// <c>null</c> is absent, numbers must be JSON numbers that fit the DTO's type, strings must be JSON strings, and
/// the reader settings (depth 64, no comments, no trailing commas, nothing after the object) are the same. It reads
/// each value where it stands: property values are kept as positions in the message and only the strings the
/// resulting event holds are created, once the event type is known.
/// </para>
/// </remarks>
public static partial class ContractParser
{
    /// <summary>Parses with the fast path only.</summary>
    /// <returns><see langword="false"/> when the fast path declines; the message may still be valid.</returns>
    internal static bool TryParseFast(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out AccountEvent? @event)
    {
        @event = null;
        ReadOnlySpan<byte> json = utf8Json.StartsWith("\uFEFF"u8) ? utf8Json[3..] : utf8Json;

        // The reader checks UTF-8 only in the strings it transcodes; the DTO path checks the whole message.
        if (!Utf8.IsValid(json))
        {
            return false;
        }

        var fields = default(FieldValues);
        try
        {
            if (!TryScan(json, ref fields))
            {
                return false;
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the DTO path reports where.
            return false;
        }
        catch (InvalidOperationException)
        {
            // An escaped string with an unpaired surrogate: the DTO path reports it.
            return false;
        }

        return TryBuild(json, ref fields, out @event);
    }

    /// <summary>Reads every top-level property into <paramref name="fields"/>; throws on malformed JSON.</summary>
    private static bool TryScan(ReadOnlySpan<byte> json, ref FieldValues fields)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                // Rare; the DTO path unescapes names (and rejects invalid escapes in them).
                return false;
            }

            Field field = Identify(reader.ValueSpan);
            reader.Read();
            if (!TryReadField(ref reader, field, ref fields))
            {
                return false;
            }
        }

        // The loop ends at the object's end; nothing but white space may follow (Read throws on anything else).
        return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
    }

    private static bool TryReadField(ref Utf8JsonReader reader, Field field, ref FieldValues fields)
    {
        switch (field)
        {
            case Field.Unknown:
                reader.Skip();
                return true;
            case Field.EventType:
                return TryReadEventType(ref reader, ref fields);
            case Field.SchemaVersion:
                return TryReadInt32(ref reader, out fields.SchemaVersion);
            case Field.OccurredAt:
                // Required in every event type: "" is as invalid as a bad timestamp.
                return TryReadTimestamp(ref reader, out fields.OccurredAt, allowEmpty: false);
            case Field.PeriodStart:
                return TryReadTimestamp(ref reader, out fields.PeriodStart, allowEmpty: true);
            case Field.PeriodEnd:
                return TryReadTimestamp(ref reader, out fields.PeriodEnd, allowEmpty: true);
            case Field.CreatedAt:
                return TryReadTimestamp(ref reader, out fields.CreatedAt, allowEmpty: true);
            case Field.GpuCount:
                return TryReadInt32(ref reader, out fields.GpuCount) && fields.GpuCount is null or >= 0;
            case Field.NetworkGbps:
                return TryReadNonNegativeDouble(ref reader, out fields.NetworkGbps);
            case Field.UsageQuantity:
                return TryReadNonNegativeDouble(ref reader, out fields.UsageQuantity);
            case Field.SourceAsn:
                return TryReadAsn(ref reader, out fields.SourceAsn);
            case Field.Anonymizer:
                return TryReadBoolean(ref reader, out fields.Anonymizer);
            case Field.ThirdParty:
                return TryReadBoolean(ref reader, out fields.ThirdParty);
            case Field.Allowlisted:
                return TryReadBoolean(ref reader, out fields.Allowlisted);
            case Field.Amount:
                return TryReadAmount(ref reader, out fields.Amount);
            case Field.Caller:
                return TryReadCaller(ref reader, ref fields);
            case Field.PaymentMethod:
                return TryReadPaymentMethod(ref reader, ref fields);
            default:
                // Every other field is a string, kept as a position until the event needs it.
                return TryReadText(ref reader, out fields.Texts[(int)field]);
        }
    }

    private static bool TryReadCaller(ref Utf8JsonReader reader, ref FieldValues fields)
    {
        // A later "caller" replaces an earlier one as a whole, as the serializer assigns a new object.
        fields.CallerPresent = false;
        fields.CallerSourceAsn = null;
        fields.CallerAnonymizer = null;
        fields.Texts[(int)Field.CallerPrincipalId] = default;
        fields.Texts[(int)Field.CallerSourceIp] = default;
        fields.Texts[(int)Field.CallerSourceCountry] = default;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        fields.CallerPresent = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }

            ReadOnlySpan<byte> name = reader.ValueSpan;
            reader.Read();
            bool ok = name.Length switch
            {
                9 when name.SequenceEqual("source_ip"u8) => TryReadText(ref reader, out fields.Texts[(int)Field.CallerSourceIp]),
                10 when name.SequenceEqual("source_asn"u8) => TryReadAsn(ref reader, out fields.CallerSourceAsn),
                10 when name.SequenceEqual("anonymizer"u8) => TryReadBoolean(ref reader, out fields.CallerAnonymizer),
                12 when name.SequenceEqual("principal_id"u8) => TryReadText(ref reader, out fields.Texts[(int)Field.CallerPrincipalId]),
                14 when name.SequenceEqual("source_country"u8) => TryReadText(ref reader, out fields.Texts[(int)Field.CallerSourceCountry]),
                _ => SkipValue(ref reader),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadPaymentMethod(ref Utf8JsonReader reader, ref FieldValues fields)
    {
        fields.PaymentMethodPresent = false;
        fields.Texts[(int)Field.PaymentFingerprint] = default;
        fields.Texts[(int)Field.PaymentKind] = default;
        fields.Texts[(int)Field.PaymentIssuerCountry] = default;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        fields.PaymentMethodPresent = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }

            ReadOnlySpan<byte> name = reader.ValueSpan;
            reader.Read();
            bool ok = name.Length switch
            {
                4 when name.SequenceEqual("kind"u8) => TryReadText(ref reader, out fields.Texts[(int)Field.PaymentKind]),
                11 when name.SequenceEqual("fingerprint"u8) => TryReadText(ref reader, out fields.Texts[(int)Field.PaymentFingerprint]),
                14 when name.SequenceEqual("issuer_country"u8) => TryReadText(ref reader, out fields.Texts[(int)Field.PaymentIssuerCountry]),
                _ => SkipValue(ref reader),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return true;
    }

    private static bool TryReadText(ref Utf8JsonReader reader, out TextValue value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when reader.ValueIsEscaped:
                // Rare in practice; GetString throws on an unpaired surrogate escape, as the serializer does.
                value = new TextValue(0, 0, reader.GetString());
                return true;
            case JsonTokenType.String:
                // For a string the token starts at its opening quote.
                value = new TextValue(checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length, null);
                return true;
            case JsonTokenType.Null:
                value = default;
                return true;
            default:
                value = default;
                return false;
        }
    }

    private static bool TryReadEventType(ref Utf8JsonReader reader, ref FieldValues fields)
    {
        fields.Kind = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String when reader.ValueIsEscaped:
                if (!EventTypeNames.TryParse(reader.GetString(), out AccountEventKind escapedKind))
                {
                    return false;
                }

                fields.Kind = escapedKind;
                return true;
            case JsonTokenType.String:
                ReadOnlySpan<byte> name = reader.ValueSpan;
                AccountEventKind? kind = name.Length switch
                {
                    14 when name.SequenceEqual("billing.charge"u8) => AccountEventKind.UsageBilled,
                    15 when name.SequenceEqual("instance.access"u8) => AccountEventKind.InstanceAccessed,
                    15 when name.SequenceEqual("billing.payment"u8) => AccountEventKind.PaymentMade,
                    16 when name.SequenceEqual("account.upserted"u8) => AccountEventKind.AccountUpserted,
                    17 when name.SequenceEqual("instance.launched"u8) => AccountEventKind.InstanceLaunched,
                    19 when name.SequenceEqual("instance.terminated"u8) => AccountEventKind.InstanceTerminated,
                    _ => null,
                };
                fields.Kind = kind;
                return kind is not null;
            default:
                return false;
        }
    }

    private static bool TryReadTimestamp(ref Utf8JsonReader reader, out DateTimeOffset? value, bool allowEmpty)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String when reader.ValueIsEscaped:
                if (!Rfc3339.TryParse(reader.GetString(), out DateTimeOffset unescaped))
                {
                    return false;
                }

                value = unescaped;
                return true;
            case JsonTokenType.String:
                if (reader.ValueSpan.IsEmpty)
                {
                    return allowEmpty;
                }

                if (!Rfc3339.TryParse(reader.ValueSpan, out DateTimeOffset parsed))
                {
                    return false;
                }

                value = parsed;
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadInt32(ref Utf8JsonReader reader, out int? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int number))
        {
            return false;
        }

        value = number;
        return true;
    }

    private static bool TryReadNonNegativeDouble(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double number)
            || !double.IsFinite(number) || !(number >= 0))
        {
            return false;
        }

        value = number;
        return true;
    }

    private static bool TryReadAsn(ref Utf8JsonReader reader, out long? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long number) || number is < 0 or > uint.MaxValue)
        {
            return false;
        }

        value = number;
        return true;
    }

    private static bool TryReadBoolean(ref Utf8JsonReader reader, out bool? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }

    /// <summary>The rules of <see cref="AmountConverter"/>, then <c>&gt;= 0</c>.</summary>
    private static bool TryReadAmount(ref Utf8JsonReader reader, out decimal? value)
    {
        value = null;
        decimal amount;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number when reader.TryGetDecimal(out amount):
            case JsonTokenType.String when !reader.ValueIsEscaped && AmountConverter.TryParseDecimalString(reader.ValueSpan, out amount):
                break;
            default:
                return false;
        }

        if (amount < 0)
        {
            return false;
        }

        value = amount;
        return true;
    }

    // ---- Building the event ---------------------------------------------------------------------

    private static bool TryBuild(ReadOnlySpan<byte> json, ref FieldValues fields, [NotNullWhen(true)] out AccountEvent? @event)
    {
        @event = null;
        if (fields.SchemaVersion is { } version && version != ContractFields.SupportedSchemaVersion)
        {
            return false;
        }

        if (fields.Kind is not { } kind
            || fields.OccurredAt is not { } occurredAt
            || !TryIdText(json, fields.Texts[(int)Field.EventId], out string? eventId, unique: true)
            || !TryIdText(json, fields.Texts[(int)Field.AccountId], out string? accountId))
        {
            return false;
        }

        var common = new Common(eventId, accountId, occurredAt);
        return kind switch
        {
            AccountEventKind.InstanceLaunched => TryBuildLaunched(json, ref fields, common, out @event),
            AccountEventKind.InstanceTerminated => TryBuildTerminated(json, ref fields, common, out @event),
            AccountEventKind.InstanceAccessed => TryBuildAccessed(json, ref fields, common, out @event),
            AccountEventKind.UsageBilled => TryBuildCharge(json, ref fields, common, out @event),
            AccountEventKind.PaymentMade => TryBuildPayment(json, ref fields, common, out @event),
            _ => TryBuildAccount(json, ref fields, common, out @event),
        };
    }

    private static bool TryBuildLaunched(
        ReadOnlySpan<byte> json, ref FieldValues fields, in Common common, [NotNullWhen(true)] out AccountEvent? @event)
    {
        @event = null;
        if (!TryRequiredText(json, fields.Texts[(int)Field.InstanceId], out string? instanceId)
            || !TryRequiredText(json, fields.Texts[(int)Field.InstanceType], out string? instanceType, vocabulary: true)
            || !TryRequiredText(json, fields.Texts[(int)Field.Region], out string? region, vocabulary: true)
            || !TryOneOfText(json, fields.Texts[(int)Field.PricingModel], ContractFields.PricingModels, out string? pricingModel))
        {
            return false;
        }

        CallerContext? caller = null;
        if (fields.CallerPresent)
        {
            if (!TryCountryText(json, fields.Texts[(int)Field.CallerSourceCountry], out string? country))
            {
                return false;
            }

            string? principalId = OptionalText(json, fields.Texts[(int)Field.CallerPrincipalId]);
            string? sourceIp = OptionalText(json, fields.Texts[(int)Field.CallerSourceIp]);
            if (principalId is not null || sourceIp is not null || country is not null
                || fields.CallerSourceAsn is not null || fields.CallerAnonymizer is not null)
            {
                caller = new CallerContext(principalId, sourceIp, country, fields.CallerSourceAsn, fields.CallerAnonymizer);
            }
        }

        @event = new InstanceLaunched(common.EventId, common.AccountId, common.OccurredAt)
        {
            InstanceId = instanceId,
            InstanceType = instanceType,
            GpuModel = OptionalText(json, fields.Texts[(int)Field.GpuModel], vocabulary: true),
            GpuCount = fields.GpuCount,
            Region = region,
            Zone = OptionalText(json, fields.Texts[(int)Field.Zone], vocabulary: true),
            PlacementGroup = OptionalText(json, fields.Texts[(int)Field.PlacementGroup]),
            NetworkGbps = fields.NetworkGbps,
            PricingModel = pricingModel,
            PayerAccountId = OptionalText(json, fields.Texts[(int)Field.PayerAccountId]),
            ResellerId = OptionalText(json, fields.Texts[(int)Field.ResellerId]),
            Caller = caller,
            SshKeyFingerprint = OptionalText(json, fields.Texts[(int)Field.SshKeyFingerprint]),
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryBuildTerminated(
        ReadOnlySpan<byte> json, ref FieldValues fields, in Common common, [NotNullWhen(true)] out AccountEvent? @event)
    {
        @event = null;
        if (!TryRequiredText(json, fields.Texts[(int)Field.InstanceId], out string? instanceId))
        {
            return false;
        }

        @event = new InstanceTerminated(common.EventId, common.AccountId, common.OccurredAt)
        {
            InstanceId = instanceId,
            Reason = OptionalText(json, fields.Texts[(int)Field.Reason], vocabulary: true),
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryBuildAccessed(
        ReadOnlySpan<byte> json, ref FieldValues fields, in Common common, [NotNullWhen(true)] out AccountEvent? @event)
    {
        @event = null;
        if (!TryRequiredText(json, fields.Texts[(int)Field.PrincipalId], out string? principalId)
            || !TryCountryText(json, fields.Texts[(int)Field.SourceCountry], out string? sourceCountry))
        {
            return false;
        }

        @event = new InstanceAccessed(common.EventId, common.AccountId, common.OccurredAt)
        {
            InstanceId = OptionalText(json, fields.Texts[(int)Field.InstanceId]),
            PrincipalId = principalId,
            SourceIp = OptionalText(json, fields.Texts[(int)Field.SourceIp]),
            SourceCountry = sourceCountry,
            SourceAsn = fields.SourceAsn,
            Anonymizer = fields.Anonymizer,
            Protocol = OptionalText(json, fields.Texts[(int)Field.Protocol], vocabulary: true),
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryBuildCharge(
        ReadOnlySpan<byte> json, ref FieldValues fields, in Common common, [NotNullWhen(true)] out AccountEvent? @event)
    {
        @event = null;
        if (fields.Amount is not { } amount
            || !TryCurrencyText(json, fields.Texts[(int)Field.Currency], out string? currency)
            || !TryRequiredText(json, fields.Texts[(int)Field.UsageType], out string? usageType, vocabulary: true)
            || (fields.PeriodStart is { } start && fields.PeriodEnd is { } end && end < start))
        {
            return false;
        }

        @event = new UsageBilled(common.EventId, common.AccountId, common.OccurredAt)
        {
            Amount = amount,
            Currency = currency,
            UsageType = usageType,
            InstanceType = OptionalText(json, fields.Texts[(int)Field.InstanceType], vocabulary: true),
            UsageQuantity = fields.UsageQuantity,
            PeriodStart = fields.PeriodStart,
            PeriodEnd = fields.PeriodEnd,
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryBuildPayment(
        ReadOnlySpan<byte> json, ref FieldValues fields, in Common common, [NotNullWhen(true)] out AccountEvent? @event)
    {
        @event = null;
        if (fields.Amount is not { } amount
            || !TryCurrencyText(json, fields.Texts[(int)Field.Currency], out string? currency)
            || !TryCountryText(json, fields.Texts[(int)Field.PayerCountry], out string? payerCountry))
        {
            return false;
        }

        PaymentMethod? method = null;
        if (fields.PaymentMethodPresent)
        {
            if (!TryOneOfText(json, fields.Texts[(int)Field.PaymentKind], ContractFields.PaymentMethodKinds, out string? kind)
                || !TryCountryText(json, fields.Texts[(int)Field.PaymentIssuerCountry], out string? issuerCountry))
            {
                return false;
            }

            string? fingerprint = OptionalText(json, fields.Texts[(int)Field.PaymentFingerprint]);
            if (fingerprint is not null || kind is not null || issuerCountry is not null)
            {
                method = new PaymentMethod(fingerprint, kind, issuerCountry);
            }
        }

        @event = new PaymentMade(common.EventId, common.AccountId, common.OccurredAt)
        {
            Amount = amount,
            Currency = currency,
            Method = method,
            PayerCountry = payerCountry,
            ThirdParty = fields.ThirdParty,
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    private static bool TryBuildAccount(
        ReadOnlySpan<byte> json, ref FieldValues fields, in Common common, [NotNullWhen(true)] out AccountEvent? @event)
    {
        @event = null;
        if (!TryCountryText(json, fields.Texts[(int)Field.DeclaredCountry], out string? declaredCountry)
            || !TryOneOfText(json, fields.Texts[(int)Field.KycStatus], ContractFields.KycStatuses, out string? kycStatus)
            || !TryOneOfText(json, fields.Texts[(int)Field.EntityType], ContractFields.EntityTypes, out string? entityType)
            || !TryCountryText(json, fields.Texts[(int)Field.BeneficialOwnerCountry], out string? ownerCountry))
        {
            return false;
        }

        @event = new AccountUpserted(common.EventId, common.AccountId, common.OccurredAt)
        {
            CreatedAt = fields.CreatedAt,
            DeclaredCountry = declaredCountry,
            KycStatus = kycStatus,
            EntityType = entityType,
            ParentAccountId = OptionalText(json, fields.Texts[(int)Field.ParentAccountId]),
            EmailDomain = OptionalText(json, fields.Texts[(int)Field.EmailDomain]),
            BeneficialOwnerCountry = ownerCountry,
            Allowlisted = fields.Allowlisted,
            SchemaVersion = ContractFields.SupportedSchemaVersion,
        };
        return true;
    }

    // ---- String values --------------------------------------------------------------------------

    /// <summary>
    /// Creates the string of a present value: through <see cref="Utf8StringCache.Vocabulary"/> with
    /// <paramref name="vocabulary"/>, for fields of a small vocabulary; else through <see cref="Utf8StringCache.Ids"/>,
    /// since every other text of the contract but the event id repeats across events (accounts, instances,
    /// principals, addresses, fingerprints), unless <paramref name="unique"/> says it does not.
    /// </summary>
    private static string Materialize(ReadOnlySpan<byte> json, in TextValue value, bool vocabulary = false, bool unique = false)
    {
        if (value.Unescaped is { } unescaped)
        {
            return unescaped;
        }

        ReadOnlySpan<byte> utf8 = json.Slice(value.Start, value.Length);
        return utf8.IsEmpty ? string.Empty
            : unique ? Encoding.UTF8.GetString(utf8)
            : (vocabulary ? Utf8StringCache.Vocabulary : Utf8StringCache.Ids).GetOrCreate(utf8);
    }

    /// <summary>An optional string: absent, <c>null</c> and <c>""</c> are <see langword="null"/>.</summary>
    private static string? OptionalText(ReadOnlySpan<byte> json, in TextValue value, bool vocabulary = false) =>
        value.IsPresent && !value.IsEmpty ? Materialize(json, value, vocabulary) : null;

    private static bool TryRequiredText(
        ReadOnlySpan<byte> json, in TextValue value, [NotNullWhen(true)] out string? result, bool vocabulary = false)
    {
        result = value.IsPresent && !value.IsEmpty ? Materialize(json, value, vocabulary) : null;
        return result is not null;
    }

    private static bool TryIdText(
        ReadOnlySpan<byte> json, in TextValue value, [NotNullWhen(true)] out string? result, bool unique = false)
    {
        result = null;
        if (!value.IsPresent)
        {
            return false;
        }

        string id = Materialize(json, value, unique: unique);
        if (!IsValidId(id))
        {
            return false;
        }

        result = id;
        return true;
    }

    private static bool TryCountryText(ReadOnlySpan<byte> json, in TextValue value, out string? result)
    {
        result = OptionalText(json, value, vocabulary: true);
        return result is null || IsUpperAsciiCode(result, 2);
    }

    private static bool TryCurrencyText(ReadOnlySpan<byte> json, in TextValue value, [NotNullWhen(true)] out string? result)
    {
        result = value.IsPresent ? Materialize(json, value, vocabulary: true) : null;
        return result is not null && IsUpperAsciiCode(result, 3);
    }

    /// <summary>An optional enum value: the allowed string itself, as the DTO path returns it.</summary>
    private static bool TryOneOfText(ReadOnlySpan<byte> json, in TextValue value, string[] allowed, out string? result)
    {
        result = null;
        if (!value.IsPresent || value.IsEmpty)
        {
            return true;
        }

        foreach (string candidate in allowed)
        {
            if (value.Unescaped is { } unescaped
                ? string.Equals(candidate, unescaped, StringComparison.Ordinal)
                : Ascii.Equals(json.Slice(value.Start, value.Length), candidate))
            {
                result = candidate;
                return true;
            }
        }

        return false;
    }

    // ---- Property names -------------------------------------------------------------------------

    /// <summary>Maps a top-level property name to its field; names of nested objects are matched where they are read.</summary>
    private static Field Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("zone"u8) => Field.Zone,
        6 => name[0] switch
        {
            (byte)'a' when name.SequenceEqual("amount"u8) => Field.Amount,
            (byte)'c' when name.SequenceEqual("caller"u8) => Field.Caller,
            (byte)'r' when name.SequenceEqual("region"u8) => Field.Region,
            (byte)'r' when name.SequenceEqual("reason"u8) => Field.Reason,
            _ => Field.Unknown,
        },
        8 => name[0] switch
        {
            (byte)'e' when name.SequenceEqual("event_id"u8) => Field.EventId,
            (byte)'c' when name.SequenceEqual("currency"u8) => Field.Currency,
            (byte)'p' when name.SequenceEqual("protocol"u8) => Field.Protocol,
            _ => Field.Unknown,
        },
        9 => name[0] switch
        {
            (byte)'g' when name.SequenceEqual("gpu_model"u8) => Field.GpuModel,
            (byte)'g' when name.SequenceEqual("gpu_count"u8) => Field.GpuCount,
            (byte)'s' when name.SequenceEqual("source_ip"u8) => Field.SourceIp,
            _ => Field.Unknown,
        },
        10 => name[0] switch
        {
            (byte)'e' when name.SequenceEqual("event_type"u8) => Field.EventType,
            (byte)'a' when name.SequenceEqual("account_id"u8) => Field.AccountId,
            (byte)'a' when name.SequenceEqual("anonymizer"u8) => Field.Anonymizer,
            (byte)'s' when name.SequenceEqual("source_asn"u8) => Field.SourceAsn,
            (byte)'u' when name.SequenceEqual("usage_type"u8) => Field.UsageType,
            (byte)'p' when name.SequenceEqual("period_end"u8) => Field.PeriodEnd,
            (byte)'c' when name.SequenceEqual("created_at"u8) => Field.CreatedAt,
            (byte)'k' when name.SequenceEqual("kyc_status"u8) => Field.KycStatus,
            _ => Field.Unknown,
        },
        11 => name[0] switch
        {
            (byte)'o' when name.SequenceEqual("occurred_at"u8) => Field.OccurredAt,
            (byte)'i' when name.SequenceEqual("instance_id"u8) => Field.InstanceId,
            (byte)'r' when name.SequenceEqual("reseller_id"u8) => Field.ResellerId,
            (byte)'t' when name.SequenceEqual("third_party"u8) => Field.ThirdParty,
            (byte)'e' when name.SequenceEqual("entity_type"u8) => Field.EntityType,
            (byte)'a' when name.SequenceEqual("allowlisted"u8) => Field.Allowlisted,
            _ => Field.Unknown,
        },
        12 => name[0] switch
        {
            (byte)'n' when name.SequenceEqual("network_gbps"u8) => Field.NetworkGbps,
            (byte)'p' when name.SequenceEqual("principal_id"u8) => Field.PrincipalId,
            (byte)'p' when name.SequenceEqual("period_start"u8) => Field.PeriodStart,
            (byte)'e' when name.SequenceEqual("email_domain"u8) => Field.EmailDomain,
            _ => Field.Unknown,
        },
        13 => name[0] switch
        {
            (byte)'i' when name.SequenceEqual("instance_type"u8) => Field.InstanceType,
            (byte)'p' when name.SequenceEqual("pricing_model"u8) => Field.PricingModel,
            (byte)'p' when name.SequenceEqual("payer_country"u8) => Field.PayerCountry,
            _ => Field.Unknown,
        },
        14 => name[0] switch
        {
            (byte)'s' when name.SequenceEqual("schema_version"u8) => Field.SchemaVersion,
            (byte)'s' when name.SequenceEqual("source_country"u8) => Field.SourceCountry,
            (byte)'u' when name.SequenceEqual("usage_quantity"u8) => Field.UsageQuantity,
            (byte)'p' when name.SequenceEqual("payment_method"u8) => Field.PaymentMethod,
            _ => Field.Unknown,
        },
        15 when name.SequenceEqual("placement_group"u8) => Field.PlacementGroup,
        16 => name[0] switch
        {
            (byte)'p' when name.SequenceEqual("payer_account_id"u8) => Field.PayerAccountId,
            (byte)'d' when name.SequenceEqual("declared_country"u8) => Field.DeclaredCountry,
            _ => Field.Unknown,
        },
        17 when name.SequenceEqual("parent_account_id"u8) => Field.ParentAccountId,
        19 when name.SequenceEqual("ssh_key_fingerprint"u8) => Field.SshKeyFingerprint,
        24 when name.SequenceEqual("beneficial_owner_country"u8) => Field.BeneficialOwnerCountry,
        _ => Field.Unknown,
    };

    /// <summary>
    /// The fields of the contract. The string fields come first and index <see cref="FieldValues.Texts"/>,
    /// nested ones included; the others have their own typed slot.
    /// </summary>
    private enum Field : byte
    {
        // String fields, top level.
        EventId,
        AccountId,
        InstanceId,
        InstanceType,
        GpuModel,
        Region,
        Zone,
        PlacementGroup,
        PricingModel,
        PayerAccountId,
        ResellerId,
        SshKeyFingerprint,
        Reason,
        PrincipalId,
        SourceIp,
        SourceCountry,
        Protocol,
        Currency,
        UsageType,
        PayerCountry,
        DeclaredCountry,
        KycStatus,
        EntityType,
        ParentAccountId,
        EmailDomain,
        BeneficialOwnerCountry,

        // String fields of caller and payment_method.
        CallerPrincipalId,
        CallerSourceIp,
        CallerSourceCountry,
        PaymentFingerprint,
        PaymentKind,
        PaymentIssuerCountry,

        // Typed fields.
        EventType,
        OccurredAt,
        SchemaVersion,
        GpuCount,
        NetworkGbps,
        Caller,
        SourceAsn,
        Anonymizer,
        Amount,
        UsageQuantity,
        PeriodStart,
        PeriodEnd,
        PaymentMethod,
        ThirdParty,
        CreatedAt,
        Allowlisted,
        Unknown,
    }

    private const int TextFieldCount = (int)Field.PaymentIssuerCountry + 1;

    /// <summary>
    /// A string value seen in the message: its UTF-8 bytes' position, or the unescaped string when it had escapes.
    /// The default is "absent" (or <c>null</c>, which counts the same).
    /// </summary>
    private readonly struct TextValue(int start, int length, string? unescaped)
    {
        // Stores length + 1, so that the default value (0) means absent; keeps the struct at 16 bytes.
        private readonly int _lengthPlusOne = length + 1;

        public int Start { get; } = start;

        public int Length => _lengthPlusOne - 1;

        public string? Unescaped { get; } = unescaped;

        public bool IsPresent => _lengthPlusOne != 0;

        /// <summary>Gets whether the value is <c>""</c>; an escaped value never is.</summary>
        public bool IsEmpty => Length == 0 && Unescaped is null;
    }

    [InlineArray(TextFieldCount)]
    private struct TextValues
    {
        private TextValue _element;
    }

    /// <summary>Every field's last value in the message, like the DTO holds it.</summary>
    [SuppressMessage("Design", "CA1051:Do not declare visible instance fields", Justification = "A private scratch struct filled in place by ref.")]
    private struct FieldValues
    {
        public TextValues Texts;
        public AccountEventKind? Kind;
        public int? SchemaVersion;
        public DateTimeOffset? OccurredAt;
        public DateTimeOffset? PeriodStart;
        public DateTimeOffset? PeriodEnd;
        public DateTimeOffset? CreatedAt;
        public int? GpuCount;
        public double? NetworkGbps;
        public double? UsageQuantity;
        public long? SourceAsn;
        public bool? Anonymizer;
        public bool? ThirdParty;
        public bool? Allowlisted;
        public decimal? Amount;
        public bool CallerPresent;
        public long? CallerSourceAsn;
        public bool? CallerAnonymizer;
        public bool PaymentMethodPresent;
    }
}

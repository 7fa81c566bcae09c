using UsageSentinel.Core.Events;
using UsageSentinel.Kafka.Contract;

namespace UsageSentinel.Kafka.Tests.Contract;

public sealed partial class ContractParserTests
{
    private static AccountEvent Accept(string json)
    {
        bool accepted = ContractParser.TryParse(ContractExamples.Utf8(json), out AccountEvent? @event, out ContractError error);
        accepted.ShouldBeTrue(error.Message);
        error.ShouldBe(ContractError.None);
        return @event.ShouldNotBeNull();
    }

    private static ContractError Reject(byte[] utf8Json)
    {
        bool accepted = ContractParser.TryParse(utf8Json, out AccountEvent? @event, out ContractError error);
        accepted.ShouldBeFalse();
        @event.ShouldBeNull();
        error.Reason.ShouldNotBe(DeadLetterReason.None);
        error.Message.ShouldNotBeNullOrWhiteSpace();
        return error;
    }

    private static ContractError Reject(string json) => Reject(ContractExamples.Utf8(json));

    private static DateTimeOffset At(string rfc3339) => DateTimeOffset.Parse(rfc3339, System.Globalization.CultureInfo.InvariantCulture);

    // ---- Valid examples -------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(ContractExamples.ValidNames), MemberType = typeof(ContractExamples))]
    public void TryParse_ValidExample_AcceptsWithItsKindAndVersion1(string name)
    {
        (AccountEventKind kind, string json) = ContractExamples.Valid[name];

        AccountEvent @event = Accept(json);

        @event.Kind.ShouldBe(kind);
        @event.SchemaVersion.ShouldBe(1);
        @event.AccountId.ShouldBe("acct-42");
    }

    [Fact]
    public void TryParse_LaunchedMinimal_MapsRequiredFieldsAndLeavesOptionalNull()
    {
        AccountEvent @event = Accept(ContractExamples.LaunchedMinimal);

        @event.ShouldBe(new InstanceLaunched("evt-launch-1", "acct-42", At("2026-03-01T12:00:00Z"))
        {
            InstanceId = "i-0abc",
            InstanceType = "p5.48xlarge",
            Region = "us-east-1",
        });
        @event.OccurredAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void TryParse_LaunchedFull_MapsEveryField()
    {
        AccountEvent @event = Accept(ContractExamples.LaunchedFull);

        @event.ShouldBe(new InstanceLaunched("evt-launch-2", "acct-42", At("2026-03-01T10:00:00.123Z"))
        {
            InstanceId = "i-0abc",
            InstanceType = "Standard_ND96isr_H100_v5",
            GpuModel = "H100-SXM",
            GpuCount = 8,
            Region = "eastus",
            Zone = "eastus-2",
            PlacementGroup = "pg-7",
            NetworkGbps = 3200,
            PricingModel = "capacity_block",
            PayerAccountId = "acct-1",
            ResellerId = "reseller-9",
            Caller = new CallerContext("arn:aws:iam::42:user/alice", "203.0.113.7", "NL", 4294967295, true),
            SshKeyFingerprint = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
        });
        @event.OccurredAt.Offset.ShouldBe(TimeSpan.FromHours(2));
        @event.OccurredAt.Millisecond.ShouldBe(123);
    }

    [Fact]
    public void TryParse_TerminatedMinimalAndFull_MapEveryField()
    {
        Accept(ContractExamples.TerminatedMinimal).ShouldBe(
            new InstanceTerminated("evt-term-1", "acct-42", At("2026-03-01T14:00:00Z")) { InstanceId = "i-0abc" });

        AccountEvent full = Accept(ContractExamples.TerminatedFull);
        full.ShouldBe(new InstanceTerminated("evt-term-2", "acct-42", At("2026-03-01T19:00:00Z"))
        {
            InstanceId = "i-0abc",
            Reason = "user_request",
        });
        full.OccurredAt.Offset.ShouldBe(TimeSpan.FromHours(-5));
    }

    [Fact]
    public void TryParse_AccessMinimalAndFull_MapEveryField()
    {
        Accept(ContractExamples.AccessMinimal).ShouldBe(
            new InstanceAccessed("evt-access-1", "acct-42", At("2026-03-01T13:00:00Z")) { PrincipalId = "alice" });

        Accept(ContractExamples.AccessFull).ShouldBe(new InstanceAccessed("evt-access-2", "acct-42", At("2026-03-01T13:00:00Z"))
        {
            InstanceId = "i-0abc",
            PrincipalId = "SHA256:key",
            SourceIp = "198.51.100.4",
            SourceCountry = "SG",
            SourceAsn = 0,
            Anonymizer = false,
            Protocol = "ssh",
        });
    }

    [Fact]
    public void TryParse_ChargeMinimalAndFull_MapEveryField()
    {
        Accept(ContractExamples.ChargeMinimal).ShouldBe(new UsageBilled("evt-charge-1", "acct-42", At("2026-03-02T00:00:00Z"))
        {
            Amount = 98.32m,
            Currency = "USD",
            UsageType = "gpu_instance",
        });

        Accept(ContractExamples.ChargeFull).ShouldBe(new UsageBilled("evt-charge-2", "acct-42", At("2026-03-02T00:00:00Z"))
        {
            Amount = 1234.5678m,
            Currency = "EUR",
            UsageType = "gpu_instance",
            InstanceType = "p5.48xlarge",
            UsageQuantity = 24.5,
            PeriodStart = At("2026-03-01T00:00:00Z"),
            PeriodEnd = At("2026-03-02T00:00:00Z"),
        });
    }

    [Fact]
    public void TryParse_PaymentMinimalAndFull_MapEveryField()
    {
        Accept(ContractExamples.PaymentMinimal).ShouldBe(new PaymentMade("evt-pay-1", "acct-42", At("2026-03-03T09:30:00Z"))
        {
            Amount = 5000m,
            Currency = "USD",
        });

        Accept(ContractExamples.PaymentFull).ShouldBe(new PaymentMade("evt-pay-2", "acct-42", At("2026-03-03T09:30:00Z"))
        {
            Amount = 0m,
            Currency = "JPY",
            Method = new PaymentMethod("card-fp-77", "crypto", "SC"),
            PayerCountry = "HK",
            ThirdParty = true,
        });
    }

    [Fact]
    public void TryParse_AccountMinimalAndFull_MapEveryField()
    {
        Accept(ContractExamples.AccountMinimal).ShouldBe(
            new AccountUpserted("evt-acct-1", "acct-42", At("2026-02-01T08:00:00Z")));

        Accept(ContractExamples.AccountFull).ShouldBe(new AccountUpserted("evt-acct-2", "acct-42", At("2026-02-01T08:00:00Z"))
        {
            CreatedAt = At("2026-01-31T23:59:59.5Z"),
            DeclaredCountry = "DE",
            KycStatus = "pending",
            EntityType = "reseller",
            ParentAccountId = "acct-7",
            EmailDomain = "example.com",
            BeneficialOwnerCountry = "CY",
            Allowlisted = false,
        });
    }

    // ---- Invalid fields -------------------------------------------------------------------------

    [Theory]
    // Common fields: missing, null, wrong type, bad format.
    [InlineData("instance.launched", "event_id", null, DeadLetterReason.MissingField, "$.event_id")]
    [InlineData("instance.launched", "event_id", "null", DeadLetterReason.MissingField, "$.event_id")]
    [InlineData("instance.launched", "event_id", "\"\"", DeadLetterReason.InvalidField, "$.event_id")]
    [InlineData("instance.launched", "event_id", "42", DeadLetterReason.InvalidField, "$.event_id")]
    [InlineData("billing.charge", "event_type", null, DeadLetterReason.MissingField, "$.event_type")]
    [InlineData("billing.charge", "event_type", "null", DeadLetterReason.MissingField, "$.event_type")]
    [InlineData("billing.charge", "event_type", "\"\"", DeadLetterReason.InvalidField, "$.event_type")]
    [InlineData("billing.charge", "event_type", "7", DeadLetterReason.InvalidField, "$.event_type")]
    [InlineData("billing.charge", "event_type", "\"instance.exploded\"", DeadLetterReason.UnknownEventType, "$.event_type")]
    [InlineData("billing.charge", "event_type", "\"Instance.Launched\"", DeadLetterReason.UnknownEventType, "$.event_type")]
    [InlineData("instance.access", "account_id", null, DeadLetterReason.MissingField, "$.account_id")]
    [InlineData("instance.access", "account_id", "\"\"", DeadLetterReason.InvalidField, "$.account_id")]
    [InlineData("instance.access", "account_id", "true", DeadLetterReason.InvalidField, "$.account_id")]
    [InlineData("account.upserted", "occurred_at", null, DeadLetterReason.MissingField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "null", DeadLetterReason.MissingField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "1772366400", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-03-01T12:00:00\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-03-01 12:00:00Z\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"yesterday\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-03-01\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-03-01T12:00Z\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-02-30T12:00:00Z\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-03-01T24:00:00Z\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-03-01T12:00:00.Z\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-03-01T12:00:00+0200\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-03-01T12:00:00+15:00\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"2026-03-01T12:00:00 Z\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"0000-01-01T00:00:00Z\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"0001-01-01T00:00:00+01:00\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("account.upserted", "occurred_at", "\"+2026-03-01T12:00:00Z\"", DeadLetterReason.InvalidField, "$.occurred_at")]
    [InlineData("instance.launched", "schema_version", "2", DeadLetterReason.UnsupportedSchemaVersion, "$.schema_version")]
    [InlineData("instance.launched", "schema_version", "0", DeadLetterReason.UnsupportedSchemaVersion, "$.schema_version")]
    [InlineData("instance.launched", "schema_version", "\"1\"", DeadLetterReason.InvalidField, "$.schema_version")]
    [InlineData("instance.launched", "schema_version", "1.5", DeadLetterReason.InvalidField, "$.schema_version")]
    // instance.launched
    [InlineData("instance.launched", "instance_id", null, DeadLetterReason.MissingField, "$.instance_id")]
    [InlineData("instance.launched", "instance_id", "\"\"", DeadLetterReason.InvalidField, "$.instance_id")]
    [InlineData("instance.launched", "instance_type", null, DeadLetterReason.MissingField, "$.instance_type")]
    [InlineData("instance.launched", "instance_type", "[]", DeadLetterReason.InvalidField, "$.instance_type")]
    [InlineData("instance.launched", "region", null, DeadLetterReason.MissingField, "$.region")]
    [InlineData("instance.launched", "region", "\"\"", DeadLetterReason.InvalidField, "$.region")]
    [InlineData("instance.launched", "gpu_model", "8", DeadLetterReason.InvalidField, "$.gpu_model")]
    [InlineData("instance.launched", "gpu_count", "\"8\"", DeadLetterReason.InvalidField, "$.gpu_count")]
    [InlineData("instance.launched", "gpu_count", "-1", DeadLetterReason.InvalidField, "$.gpu_count")]
    [InlineData("instance.launched", "gpu_count", "1.5", DeadLetterReason.InvalidField, "$.gpu_count")]
    [InlineData("instance.launched", "gpu_count", "3000000000", DeadLetterReason.InvalidField, "$.gpu_count")]
    [InlineData("instance.launched", "zone", "{}", DeadLetterReason.InvalidField, "$.zone")]
    [InlineData("instance.launched", "placement_group", "1", DeadLetterReason.InvalidField, "$.placement_group")]
    [InlineData("instance.launched", "network_gbps", "\"3200\"", DeadLetterReason.InvalidField, "$.network_gbps")]
    [InlineData("instance.launched", "network_gbps", "-0.5", DeadLetterReason.InvalidField, "$.network_gbps")]
    [InlineData("instance.launched", "network_gbps", "1e400", DeadLetterReason.InvalidField, "$.network_gbps")]
    [InlineData("instance.launched", "pricing_model", "\"free\"", DeadLetterReason.InvalidField, "$.pricing_model")]
    [InlineData("instance.launched", "pricing_model", "\"Spot\"", DeadLetterReason.InvalidField, "$.pricing_model")]
    [InlineData("instance.launched", "pricing_model", "1", DeadLetterReason.InvalidField, "$.pricing_model")]
    [InlineData("instance.launched", "payer_account_id", "false", DeadLetterReason.InvalidField, "$.payer_account_id")]
    [InlineData("instance.launched", "reseller_id", "[1]", DeadLetterReason.InvalidField, "$.reseller_id")]
    [InlineData("instance.launched", "ssh_key_fingerprint", "0", DeadLetterReason.InvalidField, "$.ssh_key_fingerprint")]
    [InlineData("instance.launched", "caller", "\"alice\"", DeadLetterReason.InvalidField, "$.caller")]
    [InlineData("instance.launched", "caller", "[]", DeadLetterReason.InvalidField, "$.caller")]
    [InlineData("instance.launched", "caller.principal_id", "5", DeadLetterReason.InvalidField, "$.caller.principal_id")]
    [InlineData("instance.launched", "caller.source_ip", "true", DeadLetterReason.InvalidField, "$.caller.source_ip")]
    [InlineData("instance.launched", "caller.source_country", "\"nl\"", DeadLetterReason.InvalidField, "$.caller.source_country")]
    [InlineData("instance.launched", "caller.source_country", "\"NLD\"", DeadLetterReason.InvalidField, "$.caller.source_country")]
    [InlineData("instance.launched", "caller.source_asn", "-1", DeadLetterReason.InvalidField, "$.caller.source_asn must be an integer between 0 and 4294967295")]
    [InlineData("instance.launched", "caller.source_asn", "4294967296", DeadLetterReason.InvalidField, "$.caller.source_asn must be an integer between 0 and 4294967295")]
    [InlineData("instance.launched", "caller.source_asn", "\"64500\"", DeadLetterReason.InvalidField, "$.caller.source_asn must be an integer between 0 and 4294967295")]
    [InlineData("instance.launched", "caller.source_asn", "1e30", DeadLetterReason.InvalidField, "$.caller.source_asn")]
    [InlineData("instance.launched", "caller.anonymizer", "\"yes\"", DeadLetterReason.InvalidField, "$.caller.anonymizer")]
    // instance.terminated
    [InlineData("instance.terminated", "instance_id", null, DeadLetterReason.MissingField, "$.instance_id")]
    [InlineData("instance.terminated", "instance_id", "7", DeadLetterReason.InvalidField, "$.instance_id")]
    [InlineData("instance.terminated", "instance_id", "\"\"", DeadLetterReason.InvalidField, "$.instance_id")]
    [InlineData("instance.terminated", "reason", "{}", DeadLetterReason.InvalidField, "$.reason")]
    // instance.access
    [InlineData("instance.access", "principal_id", null, DeadLetterReason.MissingField, "$.principal_id")]
    [InlineData("instance.access", "principal_id", "\"\"", DeadLetterReason.InvalidField, "$.principal_id")]
    [InlineData("instance.access", "principal_id", "12", DeadLetterReason.InvalidField, "$.principal_id")]
    [InlineData("instance.access", "instance_id", "12", DeadLetterReason.InvalidField, "$.instance_id")]
    [InlineData("instance.access", "source_ip", "[]", DeadLetterReason.InvalidField, "$.source_ip")]
    [InlineData("instance.access", "source_country", "\"Netherlands\"", DeadLetterReason.InvalidField, "$.source_country")]
    [InlineData("instance.access", "source_country", "\"N1\"", DeadLetterReason.InvalidField, "$.source_country")]
    [InlineData("instance.access", "source_asn", "-5", DeadLetterReason.InvalidField, "$.source_asn")]
    [InlineData("instance.access", "source_asn", "12.5", DeadLetterReason.InvalidField, "$.source_asn")]
    [InlineData("instance.access", "anonymizer", "1", DeadLetterReason.InvalidField, "$.anonymizer")]
    [InlineData("instance.access", "protocol", "22", DeadLetterReason.InvalidField, "$.protocol")]
    // billing.charge
    [InlineData("billing.charge", "amount", null, DeadLetterReason.MissingField, "$.amount")]
    [InlineData("billing.charge", "amount", "null", DeadLetterReason.MissingField, "$.amount")]
    [InlineData("billing.charge", "amount", "-0.01", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.charge", "amount", "\"-0.01\"", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.charge", "amount", "\"abc\"", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.charge", "amount", "\"\"", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.charge", "amount", "\"1e3\"", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.charge", "amount", "\" 12\"", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.charge", "amount", "true", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.charge", "amount", "1e300", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.charge", "currency", null, DeadLetterReason.MissingField, "$.currency")]
    [InlineData("billing.charge", "currency", "\"usd\"", DeadLetterReason.InvalidField, "$.currency")]
    [InlineData("billing.charge", "currency", "\"US\"", DeadLetterReason.InvalidField, "$.currency")]
    [InlineData("billing.charge", "currency", "\"USDT\"", DeadLetterReason.InvalidField, "$.currency")]
    [InlineData("billing.charge", "currency", "\"\"", DeadLetterReason.InvalidField, "$.currency")]
    [InlineData("billing.charge", "currency", "840", DeadLetterReason.InvalidField, "$.currency")]
    [InlineData("billing.charge", "usage_type", null, DeadLetterReason.MissingField, "$.usage_type")]
    [InlineData("billing.charge", "usage_type", "\"\"", DeadLetterReason.InvalidField, "$.usage_type")]
    [InlineData("billing.charge", "instance_type", "5", DeadLetterReason.InvalidField, "$.instance_type")]
    [InlineData("billing.charge", "instance_id", "5", DeadLetterReason.InvalidField, "$.instance_id")]
    [InlineData("billing.charge", "usage_quantity", "-1", DeadLetterReason.InvalidField, "$.usage_quantity")]
    [InlineData("billing.charge", "usage_quantity", "\"2\"", DeadLetterReason.InvalidField, "$.usage_quantity")]
    [InlineData("billing.charge", "period_start", "\"2026-03-01\"", DeadLetterReason.InvalidField, "$.period_start")]
    [InlineData("billing.charge", "period_start", "0", DeadLetterReason.InvalidField, "$.period_start")]
    [InlineData("billing.charge", "period_end", "\"2026-03-02T00:00:00\"", DeadLetterReason.InvalidField, "$.period_end")]
    [InlineData("billing.charge", "period_end", "\"2026-02-28T23:59:59Z\"", DeadLetterReason.InvalidField, "$.period_end must not be before $.period_start")]
    // billing.payment
    [InlineData("billing.payment", "amount", null, DeadLetterReason.MissingField, "$.amount")]
    [InlineData("billing.payment", "amount", "-1", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.payment", "amount", "{}", DeadLetterReason.InvalidField, "$.amount")]
    [InlineData("billing.payment", "currency", null, DeadLetterReason.MissingField, "$.currency")]
    [InlineData("billing.payment", "currency", "\"E U\"", DeadLetterReason.InvalidField, "$.currency")]
    [InlineData("billing.payment", "payment_method", "\"card\"", DeadLetterReason.InvalidField, "$.payment_method")]
    [InlineData("billing.payment", "payment_method.kind", "\"cash\"", DeadLetterReason.InvalidField, "$.payment_method.kind")]
    [InlineData("billing.payment", "payment_method.kind", "1", DeadLetterReason.InvalidField, "$.payment_method.kind")]
    [InlineData("billing.payment", "payment_method.fingerprint", "1", DeadLetterReason.InvalidField, "$.payment_method.fingerprint")]
    [InlineData("billing.payment", "payment_method.issuer_country", "\"usa\"", DeadLetterReason.InvalidField, "$.payment_method.issuer_country")]
    [InlineData("billing.payment", "payer_country", "\"U1\"", DeadLetterReason.InvalidField, "$.payer_country")]
    [InlineData("billing.payment", "third_party", "\"no\"", DeadLetterReason.InvalidField, "$.third_party")]
    // account.upserted
    [InlineData("account.upserted", "created_at", "\"yesterday\"", DeadLetterReason.InvalidField, "$.created_at")]
    [InlineData("account.upserted", "created_at", "true", DeadLetterReason.InvalidField, "$.created_at")]
    [InlineData("account.upserted", "declared_country", "\"de\"", DeadLetterReason.InvalidField, "$.declared_country")]
    [InlineData("account.upserted", "kyc_status", "\"approved\"", DeadLetterReason.InvalidField, "$.kyc_status")]
    [InlineData("account.upserted", "entity_type", "\"company\"", DeadLetterReason.InvalidField, "$.entity_type")]
    [InlineData("account.upserted", "parent_account_id", "7", DeadLetterReason.InvalidField, "$.parent_account_id")]
    [InlineData("account.upserted", "email_domain", "[]", DeadLetterReason.InvalidField, "$.email_domain")]
    [InlineData("account.upserted", "beneficial_owner_country", "\"GBR\"", DeadLetterReason.InvalidField, "$.beneficial_owner_country")]
    [InlineData("account.upserted", "allowlisted", "\"true\"", DeadLetterReason.InvalidField, "$.allowlisted")]
    public void TryParse_InvalidField_RejectsWithReasonNamingTheField(
        string eventType, string field, string? rawValue, DeadLetterReason reason, string messageContains)
    {
        ContractError error = Reject(ContractExamples.Mutate(eventType, field, rawValue));

        error.Reason.ShouldBe(reason);
        error.Message.ShouldContain(messageContains, Case.Sensitive);
    }

    [Theory]
    [InlineData("event_id")]
    [InlineData("account_id")]
    public void TryParse_IdOf129Characters_RejectsAsInvalidField(string field)
    {
        ContractError error = Reject(ContractExamples.Mutate("instance.terminated", field, ContractExamples.JsonString(new string('a', 129))));

        error.Reason.ShouldBe(DeadLetterReason.InvalidField);
        error.Message.ShouldContain("$." + field + " must be a string of 1 to 128 characters");
    }

    [Theory]
    [InlineData("event_id")]
    [InlineData("account_id")]
    public void TryParse_IdOf128Characters_Accepts(string field)
    {
        string id = new('a', 128);

        AccountEvent @event = Accept(ContractExamples.Mutate("instance.terminated", field, ContractExamples.JsonString(id)));

        (field == "event_id" ? @event.EventId : @event.AccountId).ShouldBe(id);
    }

    [Fact]
    public void TryParse_IdOf128AstralCharacters_CountsCharactersNotUtf16Units()
    {
        string id = string.Concat(Enumerable.Repeat("\U0001F600", 128));

        Accept(ContractExamples.Mutate("instance.terminated", "event_id", ContractExamples.JsonString(id))).EventId.ShouldBe(id);
        Reject(ContractExamples.Mutate("instance.terminated", "event_id", ContractExamples.JsonString(id + "\U0001F600")))
            .Reason.ShouldBe(DeadLetterReason.InvalidField);
    }

    // ---- Whole-message failures -----------------------------------------------------------------

    [Theory]
    [InlineData("", DeadLetterReason.EmptyMessage)]
    [InlineData(" \r\n\t ", DeadLetterReason.EmptyMessage)]
    [InlineData("[]", DeadLetterReason.NotAnObject)]
    [InlineData("[{\"event_type\":\"instance.terminated\"}]", DeadLetterReason.NotAnObject)]
    [InlineData("null", DeadLetterReason.NotAnObject)]
    [InlineData(" null ", DeadLetterReason.NotAnObject)]
    [InlineData("\"instance.launched\"", DeadLetterReason.NotAnObject)]
    [InlineData("42", DeadLetterReason.NotAnObject)]
    [InlineData("true", DeadLetterReason.NotAnObject)]
    [InlineData("{", DeadLetterReason.MalformedJson)]
    [InlineData("{\"event_id\":\"evt-1\"", DeadLetterReason.MalformedJson)]
    [InlineData("{\"event_id\":\"evt-1", DeadLetterReason.MalformedJson)]
    [InlineData("{\"event_id\":}", DeadLetterReason.MalformedJson)]
    [InlineData("{\"event_id\":\"evt-1\",}", DeadLetterReason.MalformedJson)]
    [InlineData("{'event_id':'evt-1'}", DeadLetterReason.MalformedJson)]
    [InlineData("{\"event_id\":\"evt-1\"} x", DeadLetterReason.MalformedJson)]
    [InlineData("{} {}", DeadLetterReason.MalformedJson)]
    [InlineData("{}\n{}", DeadLetterReason.MalformedJson)]
    [InlineData("{/* comment */}", DeadLetterReason.MalformedJson)]
    [InlineData("{\"amount\":NaN}", DeadLetterReason.MalformedJson)]
    [InlineData("[1,", DeadLetterReason.MalformedJson)]
    [InlineData("nul", DeadLetterReason.MalformedJson)]
    [InlineData("yesterday", DeadLetterReason.MalformedJson)]
    [InlineData("{\"event_id\":\"\\uD800\",\"event_type\":\"instance.terminated\"}", DeadLetterReason.MalformedJson)]
    [InlineData("{\"event_id\":\"\\x41\"}", DeadLetterReason.MalformedJson)]
    public void TryParse_BrokenMessage_RejectsWithReason(string message, DeadLetterReason reason)
    {
        Reject(message).Reason.ShouldBe(reason);
    }

    [Fact]
    public void TryParse_Truncated_RejectsEveryPrefixOfAValidMessageAsMalformed()
    {
        byte[] full = ContractExamples.Utf8(ContractExamples.LaunchedFull.Trim());

        for (int length = 1; length < full.Length; length++)
        {
            byte[] prefix = full[..length];
            if (prefix.AsSpan().TrimStart(" \t\r\n"u8).IsEmpty)
            {
                continue;
            }

            Reject(prefix).Reason.ShouldBe(DeadLetterReason.MalformedJson, $"prefix of {length} bytes");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D })] // {"\xFF":1}
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D })] // {"a":"\xC3"} truncated sequence
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // UTF-8 encoded surrogate
    public void TryParse_InvalidUtf8_RejectsAsMalformed(byte[] message)
    {
        ContractError error = Reject(message);

        error.Reason.ShouldBe(DeadLetterReason.MalformedJson);
        error.Message.ShouldContain("UTF-8");
    }

    [Fact]
    public void TryParse_NestingDeeperThan64InAnUnknownField_RejectsAsMalformed()
    {
        string message = ContractExamples.TerminatedFull.Trim()[..^1] + ",\"extra\":" + new string('[', 100) + new string(']', 100) + "}";

        Reject(message).Reason.ShouldBe(DeadLetterReason.MalformedJson);
    }

    [Fact]
    public void TryParse_MalformedJson_MessageGivesThePosition()
    {
        Reject("{\"event_id\":}").Message.ShouldBe("message is not well-formed JSON (line 1, byte 13)");
    }

    [Fact]
    public void TryParse_NotAnObject_MessageNamesWhatItGot()
    {
        Reject("[]").Message.ShouldBe("message must be a JSON object, got an array");
        Reject("null").Message.ShouldBe("message must be a JSON object, got null");
    }

    // ---- Precedence ----------------------------------------------------------------------------

    [Fact]
    public void TryParse_UnsupportedVersionWithABadField_ReportsTheVersion()
    {
        string message = ContractExamples.MutateJson(
            ContractExamples.Mutate("instance.launched", "schema_version", "2"), "gpu_count", "\"eight\"");

        Reject(message).Reason.ShouldBe(DeadLetterReason.UnsupportedSchemaVersion);
    }

    [Fact]
    public void TryParse_UnknownTypeWithABadField_ReportsTheType()
    {
        string message = ContractExamples.MutateJson(
            ContractExamples.Mutate("instance.launched", "event_type", "\"instance.rebooted\""), "gpu_count", "\"eight\"");

        Reject(message).Reason.ShouldBe(DeadLetterReason.UnknownEventType);
    }

    [Fact]
    public void TryParse_UnknownTypeWithoutOtherFields_ReportsTheType()
    {
        Reject("""{"event_type":"gpu.melted"}""").Reason.ShouldBe(DeadLetterReason.UnknownEventType);
    }

    [Fact]
    public void TryParse_SeveralMissingFields_ReportsEventTypeFirstThenCommonFields()
    {
        Reject("{}").Message.ShouldBe("$.event_type is required");
        Reject("""{"event_type":"instance.terminated"}""").Message.ShouldBe("$.event_id is required");
    }

    // ---- Leniency: accept more, never require more ----------------------------------------------

    [Fact]
    public void TryParse_UnknownFields_AreIgnored()
    {
        string message = ContractExamples.MutateJson(
            ContractExamples.MutateJson(
                ContractExamples.Mutate("instance.launched", "trace_id", "\"abc\""),
                "labels", """{"team":["a",{"b":null}],"n":1e999}"""),
            "caller.user_agent", "\"curl/8\"");

        Accept(message).ShouldBe(Accept(ContractExamples.LaunchedFull));
    }

    [Theory]
    [InlineData("instance.terminated", "gpu_count", "\"eight\"")]
    [InlineData("instance.terminated", "caller", "5")]
    [InlineData("instance.terminated", "amount", "\"lots\"")]
    [InlineData("instance.access", "caller", "[]")]
    [InlineData("instance.access", "currency", "\"usd\"")]
    [InlineData("billing.payment", "usage_quantity", "-5")]
    [InlineData("billing.payment", "region", "1")]
    [InlineData("account.upserted", "principal_id", "false")]
    [InlineData("instance.launched", "payment_method", "\"x\"")]
    public void TryParse_FieldOfAnotherEventType_IsIgnoredWhateverItsValue(string eventType, string field, string rawValue)
    {
        Accept(ContractExamples.Mutate(eventType, field, rawValue))
            .ShouldBe(Accept(ContractExamples.Full(eventType)));
    }

    [Theory]
    [InlineData("instance.launched", "gpu_model")]
    [InlineData("instance.launched", "zone")]
    [InlineData("instance.launched", "pricing_model")]
    [InlineData("instance.launched", "caller.source_country")]
    [InlineData("instance.access", "protocol")]
    [InlineData("instance.access", "source_country")]
    [InlineData("billing.charge", "period_start")]
    [InlineData("billing.payment", "payment_method.kind")]
    [InlineData("billing.payment", "payer_country")]
    [InlineData("account.upserted", "kyc_status")]
    [InlineData("account.upserted", "created_at")]
    [InlineData("account.upserted", "beneficial_owner_country")]
    public void TryParse_OptionalFieldEmptyOrNull_CountsAsAbsent(string eventType, string field)
    {
        AccountEvent absent = Accept(ContractExamples.Mutate(eventType, field, null));

        Accept(ContractExamples.Mutate(eventType, field, "\"\"")).ShouldBe(absent);
        Accept(ContractExamples.Mutate(eventType, field, "null")).ShouldBe(absent);
    }

    [Fact]
    public void TryParse_EmptyCallerAndPaymentMethod_MapToNull()
    {
        ((InstanceLaunched)Accept(ContractExamples.Mutate("instance.launched", "caller", "{}"))).Caller.ShouldBeNull();
        ((PaymentMade)Accept(ContractExamples.Mutate("billing.payment", "payment_method", """{"kind":""}"""))).Method.ShouldBeNull();
    }

    [Fact]
    public void TryParse_PartialCaller_MapsWhatIsThere()
    {
        var launched = (InstanceLaunched)Accept(ContractExamples.Mutate("instance.launched", "caller", """{"source_asn":64500}"""));

        launched.Caller.ShouldBe(new CallerContext(null, null, null, 64500, null));
    }

    [Fact]
    public void TryParse_ProtocolOutsideTheExamples_IsAccepted()
    {
        ((InstanceAccessed)Accept(ContractExamples.Mutate("instance.access", "protocol", "\"rdp\""))).Protocol.ShouldBe("rdp");
    }

    [Fact]
    public void TryParse_NoSchemaVersion_DefaultsTo1()
    {
        Accept(ContractExamples.Mutate("instance.launched", "schema_version", null)).SchemaVersion.ShouldBe(1);
        Accept(ContractExamples.Mutate("instance.launched", "schema_version", "null")).SchemaVersion.ShouldBe(1);
    }

    [Theory]
    [InlineData("\"12.50\"", "12.50")]
    [InlineData("\"0\"", "0")]
    [InlineData("12345678901234567890.123456789", "12345678901234567890.123456789")]
    [InlineData("\"12345678901234567890.123456789\"", "12345678901234567890.123456789")]
    [InlineData("1.5e2", "150")]
    [InlineData("0.1", "0.1")]
    public void TryParse_Amount_IsAnExactDecimalFromNumberOrDecimalString(string rawValue, string expected)
    {
        var charge = (UsageBilled)Accept(ContractExamples.Mutate("billing.charge", "amount", rawValue));

        charge.Amount.ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-03-01T12:00:00Z", "2026-03-01T12:00:00+00:00")]
    [InlineData("2026-03-01t12:00:00z", "2026-03-01T12:00:00+00:00")]
    [InlineData("2026-03-01T12:00:00.123+02:00", "2026-03-01T12:00:00.1230000+02:00")]
    [InlineData("2026-03-01T12:00:00.123456789-09:30", "2026-03-01T12:00:00.1234567-09:30")]
    [InlineData("2026-03-01T12:00:00-00:00", "2026-03-01T12:00:00+00:00")]
    [InlineData("2024-02-29T23:59:59+14:00", "2024-02-29T23:59:59+14:00")]
    public void TryParse_OccurredAt_KeepsTheInstantAndTheOffset(string occurredAt, string expected)
    {
        AccountEvent @event = Accept(ContractExamples.Mutate("instance.terminated", "occurred_at", ContractExamples.JsonString(occurredAt)));

        @event.OccurredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(At(expected).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TryParse_Utf8ByteOrderMark_IsSkipped()
    {
        byte[] message = [0xEF, 0xBB, 0xBF, .. ContractExamples.Utf8(ContractExamples.TerminatedFull)];

        ContractParser.TryParse(message, out AccountEvent? @event, out _).ShouldBeTrue();
        @event.ShouldBe(Accept(ContractExamples.TerminatedFull));
    }

    [Fact]
    public void TryParse_EscapedStrings_AreUnescaped()
    {
        AccountEvent @event = Accept("""
            {"event_id":"evt\u002d1","event_type":"instance\u002eterminated","occurred_at":"2026-03-01T12:00:00\u002B01:00",
             "account_id":"acct\"42\"","instance_id":"i-\u00e9\ud83d\ude00"}
            """);

        @event.ShouldBe(new InstanceTerminated("evt-1", "acct\"42\"", At("2026-03-01T11:00:00Z")) { InstanceId = "i-é\U0001F600" });
    }

    [Fact]
    public void TryParse_PeriodEndEqualToStart_IsAccepted()
    {
        string message = ContractExamples.Mutate("billing.charge", "period_end", "\"2026-03-01T02:00:00+02:00\"");

        ((UsageBilled)Accept(message)).PeriodEnd.ShouldBe(At("2026-03-01T00:00:00Z"));
    }

    // ---- Messages never echo much of the input ---------------------------------------------------

    [Theory]
    [InlineData("instance.launched", "event_type")]
    [InlineData("instance.launched", "occurred_at")]
    [InlineData("instance.launched", "pricing_model")]
    [InlineData("instance.launched", "caller.source_country")]
    [InlineData("billing.charge", "currency")]
    [InlineData("billing.charge", "period_start")]
    [InlineData("account.upserted", "entity_type")]
    public void TryParse_LongBadValue_EchoesAtMost64Characters(string eventType, string field)
    {
        string value = string.Concat(Enumerable.Range(0, 1000).Select(i => (char)('a' + (i % 26))));

        ContractError error = Reject(ContractExamples.Mutate(eventType, field, ContractExamples.JsonString(value)));

        error.Message.ShouldContain(value[..64]);
        error.Message.ShouldNotContain(value[..65]);
        error.Message.ShouldContain("$." + field);
    }

    [Fact]
    public void TryParse_BadValueWithControlCharacters_EchoesThemReplaced()
    {
        ContractError error = Reject(ContractExamples.Mutate("instance.launched", "event_type", "\"bad\\ntype\\u0000\""));

        error.Message.ShouldContain("'bad?type?'");
    }

    [Fact]
    public void Echo_SurrogatePairAtTheLimit_IsNotSplit()
    {
        string value = new string('a', 63) + "\U0001F600" + "tail";

        string echo = ContractParser.Echo(value);

        echo.ShouldBe("'" + new string('a', 63) + "'…");
    }
}

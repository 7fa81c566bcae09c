using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Core.Linking;

/// <summary>
/// Groups accounts that share identifiers (incremental union-find, bounded) and judges each group as a whole:
/// the <c>linked_accounts</c> detector raises when a group crosses a threshold that each member stays under —
/// a training run or a resale pool split across accounts to stay below per-account limits. Owned by one loop.
/// </summary>
public sealed class LinkGraph
{
    private readonly LinkingOptions _options;
    private readonly double[] _tiers;
    private readonly double _utilization;
    private readonly double _resaleThreshold;
    private readonly bool[] _enabled = new bool[8];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<Member> _members = [];
    private readonly Dictionary<ulong, Identifier> _identifiers = [];
    private readonly HashSet<Group> _groups = [];

    /// <summary>
    /// Gets or sets what receives the graph's own changes — new identifiers of an account, new figures of an account in
    /// a group, a group's incident state — so other workers can <see cref="Apply"/> them (the worker writes them to
    /// its links topic). Called under the caller's lock; changes applied with <see cref="Apply"/> are not journalled.
    /// </summary>
    public Action<LinkRecord>? Journal { get; set; }

    /// <summary>Initializes a new instance of the <see cref="LinkGraph"/> class.</summary>
    /// <param name="options">Linking options.</param>
    /// <param name="tiersFlop">Training compute tiers, ascending.</param>
    /// <param name="utilization">Assumed utilisation, for the explanation only.</param>
    /// <param name="resaleThreshold">Resale evidence at which a single account is alerted.</param>
    public LinkGraph(LinkingOptions options, IReadOnlyList<double> tiersFlop, double utilization, double resaleThreshold)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tiersFlop);
        _options = options;
        _tiers = [.. tiersFlop];
        _utilization = utilization;
        _resaleThreshold = resaleThreshold;
        foreach (var kind in options.EffectiveKinds)
        {
            _enabled[(int)kind] = true;
        }
    }

    /// <summary>Creates the link graph for the detection options, e.g. to share between engines.</summary>
    /// <param name="options">Detection options.</param>
    /// <returns>The graph.</returns>
    public static LinkGraph For(Engine.DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LinkGraph(options.Linking, options.TrainingScale.EffectiveTiersFlop, options.TrainingScale.Utilization, options.ResaleProxy.AlertEvidence);
    }

    /// <summary>Gets the number of accounts known to the graph.</summary>
    public int Accounts => _members.Count;

    /// <summary>Gets the accounts in the group of <paramref name="accountId"/>, itself included, in the order they joined.</summary>
    /// <param name="accountId">The account.</param>
    /// <returns>The members; just the account when it is alone or unknown.</returns>
    public IReadOnlyList<string> GroupOf(string accountId)
    {
        if (!_index.TryGetValue(accountId, out var i))
        {
            return [accountId];
        }

        var root = Find(i);
        return MemberAt(root).Group is { } group ? [.. group.Members.Select(m => MemberAt(m).Id)] : [accountId];
    }

    /// <summary>Records that an account uses an identifier; links it with the other accounts that use it.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="kind">The kind of identifier.</param>
    /// <param name="value">The identifier.</param>
    public void Observe(string accountId, LinkKind kind, string value) => Observe(accountId, 0, kind, value);

    /// <summary>Records that an account of input partition <paramref name="partition"/> uses an identifier.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="partition">The input partition (detection loop) that owns the account.</param>
    /// <param name="kind">The kind of identifier.</param>
    /// <param name="value">The identifier.</param>
    public void Observe(string accountId, int partition, LinkKind kind, string value) =>
        Observe(accountId, partition, kind, value.AsSpan());

    /// <summary>
    /// Records that an account of input partition <paramref name="partition"/> uses an identifier given as text that
    /// need not be a string of its own (e.g. a network written into a stack buffer); the same as the string's.
    /// </summary>
    /// <param name="accountId">The account.</param>
    /// <param name="partition">The input partition (detection loop) that owns the account.</param>
    /// <param name="kind">The kind of identifier.</param>
    /// <param name="value">The identifier.</param>
    public void Observe(string accountId, int partition, LinkKind kind, ReadOnlySpan<char> value)
    {
        var index = -1;
        Observe(ref index, accountId, partition, kind, value);
    }

    /// <summary>
    /// <see cref="Observe(string, int, LinkKind, ReadOnlySpan{char})"/> with the account's place in this graph kept by
    /// the caller, as for <see cref="UpdateFigures(ref int, string, int, double, int, double, long, List{AnomalyDetected})"/>:
    /// -1 until known, then kept, which spares the lookup by account id on every observation.
    /// </summary>
    /// <param name="index">The account's member index in this graph, or -1 when not known yet; set when it becomes known.</param>
    /// <param name="accountId">The account.</param>
    /// <param name="partition">The input partition (detection loop) that owns the account.</param>
    /// <param name="kind">The kind of identifier.</param>
    /// <param name="value">The identifier.</param>
    public void Observe(ref int index, string accountId, int partition, LinkKind kind, ReadOnlySpan<char> value)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (!_enabled[(int)kind] || value.IsEmpty)
        {
            return;
        }

        var key = Hash(kind, value);
        if (ObserveKey(ref index, accountId, partition, kind, key))
        {
            Journal?.Invoke(LinkRecord.Observed(accountId, partition, kind, key));
        }
    }

    /// <summary>Applies a change another graph journalled (see <see cref="Journal"/>), without journalling it again.</summary>
    /// <param name="record">The change.</param>
    public void Apply(in LinkRecord record)
    {
        ArgumentNullException.ThrowIfNull(record.AccountId);
        switch (record.Type)
        {
            case LinkRecordType.Observed:
                var index = -1;
                if ((int)record.Kind < _enabled.Length && _enabled[(int)record.Kind]
                    && ObserveKey(ref index, record.AccountId, record.Partition, record.Kind, record.Key)
                    && Journal is { } journal
                    && MemberAt(Find(index)).Group is { Members.Count: > 1 } joined)
                {
                    // The group may be new to the other side: tell it the figures of the members kept here.
                    foreach (var m in joined.Members)
                    {
                        ref readonly var local = ref MemberAt(m);
                        if (local.Local && local.FiguresTicks != long.MinValue)
                        {
                            journal(LinkRecord.FiguresOf(local.Id, local.Partition, local.Flop, local.Gpus, local.Resale, local.FiguresTicks));
                        }
                    }
                }

                break;
            case LinkRecordType.Figures:
                // The account's identifiers may not have arrived yet (records of different keys are not ordered):
                // keep the figures for when they do.
                ref var member = ref MemberAt(IndexOf(record.AccountId));
                if (record.Ticks >= member.FiguresTicks)
                {
                    member.Partition = record.Partition;
                    SetFigures(ref member, record.Flop, record.Gpus, record.Resale, record.Ticks);
                }

                break;
            case LinkRecordType.Incident:
                if (_index.TryGetValue(record.AccountId, out var first) && MemberAt(Find(first)).Group is { } group)
                {
                    group.DedupKey ??= record.DedupKey;
                    group.IncidentOpen |= record.IncidentOpen;
                    group.ComputeMask |= record.ComputeMask;
                    group.ResaleRaised |= record.ResaleRaised;
                }

                break;
        }
    }

    /// <summary>
    /// Updates an account's figures and judges its group when this graph keeps the group's first member (smallest
    /// account id), so that of several workers holding members, one raises; groups whose first member is elsewhere are
    /// judged by its owner, from the figures journalled here.
    /// </summary>
    /// <param name="accountId">The account.</param>
    /// <param name="partition">The input partition (detection loop) that owns the account.</param>
    /// <param name="rollingFlop">Its estimated training compute in the rolling window.</param>
    /// <param name="runningGpus">GPUs it runs now.</param>
    /// <param name="resaleEvidence">Its resale evidence.</param>
    /// <param name="nowTicks">Event time, UTC ticks.</param>
    /// <param name="raised">Receives anomalies.</param>
    public void UpdateFigures(string accountId, int partition, double rollingFlop, int runningGpus, double resaleEvidence, long nowTicks, List<AnomalyDetected> raised)
    {
        var index = -1;
        UpdateFigures(ref index, accountId, partition, rollingFlop, runningGpus, resaleEvidence, nowTicks, raised);
    }

    /// <summary>
    /// <see cref="UpdateFigures(string, int, double, int, double, long, List{AnomalyDetected})"/> with the account's place
    /// in this graph kept by the caller: -1 until found, then kept (members are never removed), which spares the
    /// lookup by account id on every evaluation.
    /// </summary>
    /// <param name="index">The account's member index in this graph, or -1 when not known yet.</param>
    /// <param name="accountId">The account.</param>
    /// <param name="partition">The input partition (detection loop) that owns the account.</param>
    /// <param name="rollingFlop">Its estimated training compute in the rolling window.</param>
    /// <param name="runningGpus">GPUs it runs now.</param>
    /// <param name="resaleEvidence">Its resale evidence.</param>
    /// <param name="nowTicks">Event time, UTC ticks.</param>
    /// <param name="raised">Receives anomalies.</param>
    public void UpdateFigures(ref int index, string accountId, int partition, double rollingFlop, int runningGpus, double resaleEvidence, long nowTicks, List<AnomalyDetected> raised)
    {
        ArgumentNullException.ThrowIfNull(raised);
        if (index < 0 && !_index.TryGetValue(accountId, out index))
        {
            index = -1;
            return; // never linked to anything
        }

        ref var member = ref MemberAt(index);
        member.Partition = partition;
        member.Local = true;
        var changed = member.Flop != rollingFlop || member.Gpus != runningGpus || member.Resale != resaleEvidence;
        SetFigures(ref member, rollingFlop, runningGpus, resaleEvidence, nowTicks);
        if (MemberAt(Find(index)).Group is not { Members.Count: > 1 } group)
        {
            return;
        }

        if (changed && Journal is { } journal)
        {
            journal(LinkRecord.FiguresOf(accountId, partition, rollingFlop, runningGpus, resaleEvidence, nowTicks));
        }

        if (MemberAt(FirstMember(group)).Local)
        {
            Evaluate(group, nowTicks, raised);
        }
    }

    /// <summary>
    /// Judges every group whose first member (smallest account id) belongs to <paramref name="partition"/>: each group is
    /// judged by exactly one detection loop, wherever its members live, so one incident is raised once.
    /// </summary>
    /// <param name="partition">The partition whose groups to judge.</param>
    /// <param name="nowTicks">Event time, UTC ticks.</param>
    /// <param name="raised">Receives anomalies.</param>
    public void EvaluateGroups(int partition, long nowTicks, List<AnomalyDetected> raised)
    {
        ArgumentNullException.ThrowIfNull(raised);
        foreach (var group in _groups)
        {
            if (group.Members.Count > 1 && MemberAt(FirstMember(group)).Partition == partition)
            {
                Evaluate(group, nowTicks, raised);
            }
        }
    }

    /// <summary>Updates an account's figures and judges its group.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="rollingFlop">Its estimated training compute in the rolling window.</param>
    /// <param name="runningGpus">GPUs it runs now.</param>
    /// <param name="resaleEvidence">Its resale evidence.</param>
    /// <param name="nowTicks">Event time, UTC ticks.</param>
    /// <param name="raised">Receives anomalies.</param>
    public void Update(string accountId, double rollingFlop, int runningGpus, double resaleEvidence, long nowTicks, List<AnomalyDetected> raised)
    {
        ArgumentNullException.ThrowIfNull(raised);
        if (!_index.TryGetValue(accountId, out var index))
        {
            return; // never linked to anything
        }

        SetFigures(ref MemberAt(index), rollingFlop, runningGpus, resaleEvidence, nowTicks);
        if (MemberAt(Find(index)).Group is { Members.Count: > 1 } group)
        {
            Evaluate(group, nowTicks, raised);
        }
    }

    private static void SetFigures(ref Member member, double flop, int gpus, double resale, long ticks)
    {
        member.Flop = flop;
        member.Gpus = gpus;
        member.Resale = resale;
        member.FiguresTicks = Math.Max(member.FiguresTicks, ticks);
    }

    private int FirstMember(Group group)
    {
        var first = group.Members[0];
        foreach (var m in group.Members)
        {
            if (string.CompareOrdinal(MemberAt(m).Id, MemberAt(first).Id) < 0)
            {
                first = m;
            }
        }

        return first;
    }

    private void Evaluate(Group group, long nowTicks, List<AnomalyDetected> raised)
    {
        double flop = 0, maxFlop = 0, resale = 0, maxResale = 0;
        var gpus = 0;
        foreach (var m in group.Members)
        {
            ref readonly var x = ref MemberAt(m);
            flop += x.Flop;
            maxFlop = Math.Max(maxFlop, x.Flop);
            resale += x.Resale;
            maxResale = Math.Max(maxResale, x.Resale);
            gpus += x.Gpus;
        }

        var tier = -1;
        for (var t = 0; t < _tiers.Length; t++)
        {
            if (flop >= _tiers[t] && maxFlop < _tiers[t])
            {
                tier = t;
            }
        }

        var before = raised.Count;
        if (tier >= 0 && (group.ComputeMask & (1 << tier)) == 0)
        {
            group.ComputeMask |= (1 << (tier + 1)) - 1;
            raised.Add(Build(group, "compute", tier, nowTicks, flop, maxFlop, gpus, resale, maxResale));
        }

        if (resale >= _resaleThreshold && maxResale < _resaleThreshold && !group.ResaleRaised)
        {
            group.ResaleRaised = true;
            raised.Add(Build(group, "resale", -1, nowTicks, flop, maxFlop, gpus, resale, maxResale));
        }

        if (raised.Count > before && Journal is { } journal)
        {
            journal(LinkRecord.IncidentOf(MemberAt(FirstMember(group)).Id, group.DedupKey!, group.IncidentOpen, group.ComputeMask, group.ResaleRaised));
        }
    }

    private AnomalyDetected Build(Group group, string what, int tier, long nowTicks, double flop, double maxFlop, int gpus, double resale, double maxResale)
    {
        var ids = group.Members.Select(m => MemberAt(m).Id).Order(StringComparer.Ordinal).ToList();
        group.DedupKey ??= $"linked_accounts|{ids[0]}";
        var status = group.IncidentOpen ? AnomalyStatus.Updated : AnomalyStatus.Open;
        group.IncidentOpen = true;
        var shared = string.Join(", ", Enumerable.Range(0, group.SharedKinds.Length).Where(k => group.SharedKinds[k] > 0).Select(k => Describe((LinkKind)k)));
        var compute = what == "compute";
        var severity = compute ? (tier == 0 ? Severity.High : Severity.Critical) : Severity.Medium;
        if (group.ComputeMask != 0 && group.ResaleRaised)
        {
            severity = Severity.Critical; // training scale and resale signals together
        }

        var threshold = compute ? _tiers[tier] : _resaleThreshold;
        var summary = compute
            ? string.Format(
                CultureInfo.InvariantCulture,
                "{0} linked accounts sharing {1} used an estimated {2:0.00e+00} FLOP of training compute together, over the {3:0e+00} FLOP tier, while each stayed below it (largest {4:0.00e+00}).",
                ids.Count, shared, flop, threshold, maxFlop)
            : string.Format(
                CultureInfo.InvariantCulture,
                "{0} linked accounts sharing {1} together show resale / proxy evidence {2:F1} over the alert level {3:F1}, while each stays below it (largest {4:F1}).",
                ids.Count, shared, resale, threshold, maxResale);
        var causes = compute
            ? new[]
            {
                new RootCause("group_estimated_training_flop", flop, threshold, 0.6),
                new RootCause("largest_member_estimated_training_flop", maxFlop, threshold, 0.25),
                new RootCause("linked_accounts", ids.Count, 1, 0.15),
            }
            : new[]
            {
                new RootCause("group_resale_evidence", resale, threshold, 0.6),
                new RootCause("largest_member_resale_evidence", maxResale, threshold, 0.25),
                new RootCause("linked_accounts", ids.Count, 1, 0.15),
            };
        var score = compute ? Math.Min(99, 75 + (10 * tier)) : Math.Min(95, 55 + (10 * (resale / _resaleThreshold)));
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(group.DedupKey, $"{what}|{tier}"),
            AccountId = ids[0],
            LinkedAccountIds = ids.Skip(1).ToArray(),
            Detector = DetectorNames.LinkedAccounts,
            EventTime = new DateTimeOffset(nowTicks, TimeSpan.Zero),
            Score = status == AnomalyStatus.Resolved ? Math.Round(score, 2) : ScoreBands.Within(score, severity),
            Severity = severity,
            Confidence = Math.Min(0.95, 0.5 + (0.1 * group.SharedKinds.Count(c => c > 0))),
            Summary = summary + string.Format(CultureInfo.InvariantCulture, " Running now: {0} GPUs; assumed utilisation {1:P0}.", gpus, _utilization),
            RootCauses = causes,
            DedupKey = group.DedupKey,
            Status = status,
        };
    }

    private static string Describe(LinkKind kind) => kind switch
    {
        LinkKind.PaymentFingerprint => "a payment fingerprint",
        LinkKind.SshKey => "SSH keys",
        LinkKind.EmailDomain => "an e-mail domain",
        LinkKind.ParentAccount => "a parent account",
        LinkKind.PayerAccount => "a payer account",
        _ => "a source network",
    };

    /// <summary>Adds the account to the identifier's accounts; returns whether that pair is new.</summary>
    private bool ObserveKey(ref int index, string accountId, int partition, LinkKind kind, ulong key)
    {
        ref var identifier = ref CollectionsMarshal.GetValueRefOrNullRef(_identifiers, key);
        if (Unsafe.IsNullRef(ref identifier))
        {
            if (_identifiers.Count >= _options.MaxIdentifiers)
            {
                return false;
            }

            identifier = ref CollectionsMarshal.GetValueRefOrAddDefault(_identifiers, key, out _);
        }

        if (index < 0)
        {
            index = IndexOf(accountId);
        }

        var account = index;
        MemberAt(account).Partition = partition;
        if (identifier.Common || identifier.Contains(account))
        {
            return false;
        }

        if (identifier.Count >= _options.MaxAccountsPerIdentifier)
        {
            // Shared by many (a webmail domain, a big reseller): not evidence of one operator.
            identifier = new Identifier { Common = true };
            return true;
        }

        identifier.Add(account);
        if (identifier.Count > 1)
        {
            Union(account, identifier.First, kind);
        }

        return true;
    }

    private int IndexOf(string accountId)
    {
        if (!_index.TryGetValue(accountId, out var index))
        {
            index = _members.Count;
            _members.Add(new Member(accountId, index));
            _index.Add(accountId, index);
        }

        return index;
    }

    /// <summary>Gets whether the member at <paramref name="index"/> is in a group with other accounts; the caller holds the lock.</summary>
    /// <param name="index">A member index, as kept by <see cref="UpdateFigures(ref int, string, int, double, int, double, long, List{AnomalyDetected})"/>.</param>
    public bool IsGrouped(int index) => MemberAt(Find(index)).Group is { Members.Count: > 1 };

    private int Find(int i)
    {
        while (MemberAt(i).Parent != i)
        {
            var parent = MemberAt(i).Parent;
            MemberAt(i).Parent = MemberAt(parent).Parent; // path halving
            i = MemberAt(i).Parent;
        }

        return i;
    }

    private void Union(int a, int b, LinkKind kind)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra == rb)
        {
            MemberAt(ra).Group!.SharedKinds[(int)kind]++;
            return;
        }

        var ga = MemberAt(ra).Group ??= new Group(ra);
        var gb = MemberAt(rb).Group ??= new Group(rb);
        if (ga.Members.Count + gb.Members.Count > _options.MaxGroupSize)
        {
            return;
        }

        // Union by size; the surviving group keeps an existing incident key.
        if (ga.Members.Count < gb.Members.Count)
        {
            (ra, rb) = (rb, ra);
            (ga, gb) = (gb, ga);
        }

        MemberAt(rb).Parent = ra;
        MemberAt(rb).Group = null;
        _groups.Remove(gb);
        _groups.Add(ga);
        ga.Members.AddRange(gb.Members);
        for (var k = 0; k < ga.SharedKinds.Length; k++)
        {
            ga.SharedKinds[k] += gb.SharedKinds[k];
        }

        ga.SharedKinds[(int)kind]++;
        ga.DedupKey ??= gb.DedupKey;
        ga.IncidentOpen |= gb.IncidentOpen;
        ga.ComputeMask |= gb.ComputeMask;
        ga.ResaleRaised |= gb.ResaleRaised;
    }

    private static ulong Hash(LinkKind kind, ReadOnlySpan<char> value)
    {
        unchecked
        {
            var hash = 14695981039346656037UL ^ (ulong)kind;
            foreach (var c in value)
            {
                hash = (hash ^ char.ToLowerInvariant(c)) * 1099511628211UL;
            }

            return hash;
        }
    }

    /// <summary>Returns the member at <paramref name="index"/> by reference: members are values in one list, not objects.</summary>
    private ref Member MemberAt(int index) => ref CollectionsMarshal.AsSpan(_members)[index];

    private struct Member(string id, int index)
    {
        public string Id { get; } = id;

        public int Parent { get; set; } = index;

        public Group? Group { get; set; }

        public double Flop { get; set; }

        public int Gpus { get; set; }

        public double Resale { get; set; }

        public int Partition { get; set; }

        public long FiguresTicks { get; set; } = long.MinValue;

        /// <summary>Gets or sets whether this graph's own loops keep the account (its figures are journalled here).</summary>
        public bool Local { get; set; }
    }

    private sealed class Group
    {
        public Group(int root) => Members = [root];

        public List<int> Members { get; }

        public int[] SharedKinds { get; } = new int[8];

        public string? DedupKey { get; set; }

        public bool IncidentOpen { get; set; }

        public int ComputeMask { get; set; }

        public bool ResaleRaised { get; set; }
    }

    /// <summary>
    /// The accounts (member indexes) that use one identifier, in the order they came. A value in the identifiers'
    /// dictionary, not an object: most identifiers (an SSH key, a card) belong to one account, and an object with a
    /// list for each cost three objects per identifier for the collector to trace and copy. The first account is held
    /// inline, later ones in an array created by the second.
    /// </summary>
    private struct Identifier
    {
        private int[]? _more;

        /// <summary>Gets the first account; meaningful when <see cref="Count"/> is positive.</summary>
        public int First { get; private set; }

        /// <summary>Gets how many accounts use the identifier (0 once <see cref="Common"/>).</summary>
        public int Count { get; private set; }

        /// <summary>Gets or sets whether so many accounts use the identifier that it is no evidence (its accounts are forgotten).</summary>
        public bool Common { get; set; }

        public readonly bool Contains(int account)
        {
            if (Count == 0)
            {
                return false;
            }

            return First == account || (_more is { } more && Array.IndexOf(more, account, 0, Count - 1) >= 0);
        }

        public void Add(int account)
        {
            if (Count == 0)
            {
                First = account;
            }
            else
            {
                if (_more is null || _more.Length == Count - 1)
                {
                    Array.Resize(ref _more, Math.Max(1, 2 * (Count - 1)));
                }

                _more[Count - 1] = account;
            }

            Count++;
        }
    }
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Engine;

/// <summary>
/// A detection loop's accounts by id: a map from account id to state that can be looked up by the id's
/// <see cref="StableHash"/> computed elsewhere (<see cref="Events.AccountEvent.AccountIdHash"/>, by the thread that
/// parsed the event) and whose slots can be fetched into the cache ahead of the lookup. Owned by one loop.
/// </summary>
/// <remarks>
/// <para>
/// An open-addressing table (linear probing, at most three quarters full, deletion by backward shift) whose slot holds
/// the hash, the id and the state, so a lookup that was fetched ahead (<see cref="PrefetchSlot"/>, then
/// <see cref="PrefetchAccount"/>) finds everything it compares in the cache. With 125,000 accounts a
/// <see cref="Dictionary{TKey, TValue}"/> cost a miss on its bucket, one on its entry and one on the stored id's
/// characters for every event, none of which could be fetched ahead: its hash is computed from the id by the lookup.
/// </para>
/// <para>
/// <see cref="Values"/> enumerates the accounts in the order a dictionary does, which snapshots and eviction depend on:
/// in order of addition, an account added after removals taking the place of the one removed last.
/// </para>
/// </remarks>
internal sealed class AccountTable : IEnumerable<AccountState>
{
    private const int InitialSlots = 16;

    /// <summary>Marks an empty slot; a hash of 0 is stored as 1.</summary>
    private const ulong Empty = 0;

    private Slot[] _slots = new Slot[InitialSlots];
    private int _mask = InitialSlots - 1;
    private AccountState?[] _entries = new AccountState?[InitialSlots / 2];
    private int _entryCount;
    private int[] _free = [];
    private int _freeCount;
    private int _count;
    private int _version;

    /// <summary>Gets the number of accounts.</summary>
    public int Count => _count;

    /// <summary>Gets the accounts, in the order a dictionary would enumerate them (see remarks).</summary>
    public AccountTable Values => this;

    /// <summary>Looks an account up by id.</summary>
    /// <param name="accountId">The account id.</param>
    /// <param name="account">The account, when found.</param>
    /// <returns>Whether the table holds the account.</returns>
    public bool TryGetValue(string accountId, [MaybeNullWhen(false)] out AccountState account) =>
        TryGetValue(accountId, StableHash.Of(accountId), out account);

    /// <summary>Looks an account up by id and the id's hash.</summary>
    /// <param name="accountId">The account id.</param>
    /// <param name="accountIdHash">The id's <see cref="StableHash"/>.</param>
    /// <param name="account">The account, when found.</param>
    /// <returns>Whether the table holds the account.</returns>
    public bool TryGetValue(string accountId, ulong accountIdHash, [MaybeNullWhen(false)] out AccountState account)
    {
        var i = SlotOf(accountId, KeyOf(accountIdHash));
        account = i < 0 ? null : _slots[i].Account!;
        return i >= 0;
    }

    /// <summary>Adds an account under its id.</summary>
    /// <param name="account">The account.</param>
    /// <exception cref="ArgumentException">The table already holds an account of that id.</exception>
    public void Add(AccountState account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var hash = StableHash.Of(account.AccountId);
        if (TryGetValue(account.AccountId, hash, out _))
        {
            throw new ArgumentException("An account of that id is already in the table.", nameof(account));
        }

        if ((_count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
        }

        int entry;
        if (_freeCount > 0)
        {
            entry = _free[--_freeCount];
        }
        else
        {
            if (_entryCount == _entries.Length)
            {
                Array.Resize(ref _entries, _entries.Length * 2);
            }

            entry = _entryCount++;
        }

        _entries[entry] = account;
        account.TableEntry = entry;
        Insert(new Slot(KeyOf(hash), account.AccountId, account));
        _count++;
        _version++;
    }

    /// <summary>Removes an account by id.</summary>
    /// <param name="accountId">The account id.</param>
    /// <param name="account">The account removed, when found.</param>
    /// <returns>Whether the table held the account.</returns>
    public bool Remove(string accountId, [MaybeNullWhen(false)] out AccountState account)
    {
        var i = SlotOf(accountId, KeyOf(StableHash.Of(accountId)));
        if (i < 0)
        {
            account = null;
            return false;
        }

        account = _slots[i].Account!;
        _entries[account.TableEntry] = null;
        if (_free.Length == _freeCount)
        {
            Array.Resize(ref _free, Math.Max(4, _free.Length * 2));
        }

        _free[_freeCount++] = account.TableEntry;
        account.TableEntry = -1;
        _count--;
        _version++;

        // Backward shift: move up every later slot of the run that would no longer be found past the hole.
        _slots[i] = default;
        for (var j = (i + 1) & _mask; _slots[j].Key != Empty; j = (j + 1) & _mask)
        {
            var home = Home(_slots[j].Key);
            var staysPut = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!staysPut)
            {
                _slots[i] = _slots[j];
                _slots[j] = default;
                i = j;
            }
        }

        return true;
    }

    /// <summary>
    /// First step of fetching a lookup ahead: brings the slot where the lookup of <paramref name="accountIdHash"/>
    /// starts into the cache. A hint; it changes nothing.
    /// </summary>
    /// <param name="accountIdHash">The id's <see cref="StableHash"/>.</param>
    public void PrefetchSlot(ulong accountIdHash) => CachePrefetch.At(ref _slots[Home(KeyOf(accountIdHash))]);

    /// <summary>
    /// Second step, some time after <see cref="PrefetchSlot"/>: reads that slot (in the cache by now) and, when it
    /// holds the account, brings its id and its state's first cache lines into the cache. A hint; it changes nothing.
    /// </summary>
    /// <param name="accountIdHash">The id's <see cref="StableHash"/>.</param>
    /// <param name="lines">How many cache lines of the state to fetch: none when only the id will be compared.</param>
    public void PrefetchAccount(ulong accountIdHash, int lines)
    {
        var key = KeyOf(accountIdHash);
        ref var slot = ref _slots[Home(key)];
        if (slot.Key == key)
        {
            CachePrefetch.Object(slot.Id);
            if (lines > 0)
            {
                CachePrefetch.Object(slot.Account, lines);
            }
        }
    }

    /// <summary>Enumerates the accounts in the order of <see cref="Values"/>; the table must not change meanwhile.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<AccountState> IEnumerable<AccountState>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The key a hash is stored as: 0 marks an empty slot, so a hash of 0 is stored as 1.</summary>
    private static ulong KeyOf(ulong hash) => hash == Empty ? 1 : hash;

    private int Home(ulong key) => unchecked((int)(key >> 32)) & _mask;

    /// <summary>The slot holding <paramref name="accountId"/> (stored as <paramref name="key"/>), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(string accountId, ulong key)
    {
        var slots = _slots;
        for (var i = Home(key); slots[i].Key != Empty; i = (i + 1) & _mask)
        {
            ref var slot = ref slots[i];
            if (slot.Key == key && (ReferenceEquals(slot.Id, accountId) || string.Equals(slot.Id, accountId)))
            {
                return i;
            }
        }

        return -1;
    }

    private void Insert(in Slot slot)
    {
        var i = Home(slot.Key);
        while (_slots[i].Key != Empty)
        {
            i = (i + 1) & _mask;
        }

        _slots[i] = slot;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[(int)BitOperations.RoundUpToPowerOf2((uint)old.Length * 2)];
        _mask = _slots.Length - 1;
        foreach (ref readonly var slot in old.AsSpan())
        {
            if (slot.Key != Empty)
            {
                Insert(slot);
            }
        }
    }

    /// <summary>Enumerates the accounts in the order of <see cref="Values"/>.</summary>
    public struct Enumerator : IEnumerator<AccountState>
    {
        private readonly AccountTable _table;
        private readonly int _version;
        private int _index;

        internal Enumerator(AccountTable table)
        {
            _table = table;
            _version = table._version;
            _index = -1;
            Current = null!;
        }

        /// <inheritdoc/>
        public AccountState Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc/>
        public bool MoveNext()
        {
            if (_version != _table._version)
            {
                throw new InvalidOperationException("The accounts changed while they were enumerated.");
            }

            while (++_index < _table._entryCount)
            {
                if (_table._entries[_index] is { } account)
                {
                    Current = account;
                    return true;
                }
            }

            Current = null!;
            return false;
        }

        /// <inheritdoc/>
        public void Reset()
        {
            _index = -1;
            Current = null!;
        }

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }
    }

    private readonly record struct Slot(ulong Key, string? Id, AccountState? Account);
}

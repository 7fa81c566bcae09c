namespace UsageSentinel.Simulation.Engine;

/// <summary>A contiguous run of accounts advanced by one worker, with its own JSON buffer and output list.</summary>
internal sealed class AccountPartition : IDisposable
{
    private readonly List<AccountSimulation> _accounts;
    private readonly int _from;
    private readonly int _to;
    private readonly EventJsonBuffer _json = new();

    public AccountPartition(List<AccountSimulation> accounts, int from, int to)
    {
        _accounts = accounts;
        _from = from;
        _to = to;
    }

    /// <summary>Gets the events of the last drained slice, in account order, then scheduling order.</summary>
    public List<SimulatedEvent> Events { get; } = [];

    public void Plan(DayWindow day)
    {
        for (int i = _from; i < _to; i++)
        {
            _accounts[i].Plan(day);
        }
    }

    public void Drain(DateTimeOffset until)
    {
        for (int i = _from; i < _to; i++)
        {
            _accounts[i].Drain(until, _json, Events);
        }
    }

    public void Dispose() => _json.Dispose();
}

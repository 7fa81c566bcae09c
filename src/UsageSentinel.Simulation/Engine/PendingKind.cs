namespace UsageSentinel.Simulation.Engine;

internal enum PendingKind : byte
{
    Profile,
    Launch,
    Terminate,
    Access,
    Charge,
    Payment,
}

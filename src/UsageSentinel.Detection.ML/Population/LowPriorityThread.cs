using System.Runtime.InteropServices;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// Runs work on a new background thread at a lower CPU priority than the detection loops: on Linux the thread's nice
/// value is raised to 10 (a nice-0 thread then gets about ten times its share when both want the CPU), elsewhere the
/// thread priority is below normal. A training then takes what the event path leaves instead of competing with it.
/// Best effort: if the priority cannot be changed, the work still runs.
/// </summary>
internal static class LowPriorityThread
{
    private const int Nice = 10;

    /// <summary>Runs <paramref name="work"/> on its own lower-priority thread.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work.</param>
    /// <param name="name">The thread's name.</param>
    /// <returns>The work's result.</returns>
    public static Task<T> Run<T>(Func<T> work, string name)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Lower();
            try
            {
                done.SetResult(work());
            }
#pragma warning disable CA1031 // handed to the awaiting task, not swallowed
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    private static void Lower()
    {
        if (OperatingSystem.IsLinux())
        {
            // Linux keeps a nice value per thread: this one only; the thread ends with the work.
            _ = NativeMethods.setpriority(NativeMethods.PrioProcess, NativeMethods.gettid(), Nice);
            return;
        }

        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
    }

    private static class NativeMethods
    {
        public const int PrioProcess = 0;

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int setpriority(int which, int who, int prio);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int gettid();
    }
}

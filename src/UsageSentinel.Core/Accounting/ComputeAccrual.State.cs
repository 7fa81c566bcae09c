using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Accounting;

/// <content>
/// Snapshot and restore for the account state codec. Layout: accrued until (ticks), running GPUs, peak GPUs (zigzag
/// varints), running peak FLOP/s, peak FLOP, GPU-seconds (doubles), then the models with GPU time or running GPUs:
/// count (varint), and per model its name (string; indexes differ between loops), GPU-seconds (double) and running
/// GPUs (zigzag varint).
/// </content>
internal partial struct ComputeAccrual
{
    internal readonly void WriteState(StateWriter writer, ModelTable models)
    {
        writer.WriteTicks(AccruedUntilTicks);
        writer.WriteVarInt64(RunningGpus);
        writer.WriteVarInt64(PeakGpus);
        writer.WriteDouble(RunningPeakFlops);
        writer.WriteDouble(PeakFlop);
        writer.WriteDouble(GpuSeconds);
        var used = 0;
        for (var m = 0; m < _runningGpusByModel.Length; m++)
        {
            used += IsUsed(m) ? 1 : 0;
        }

        writer.WriteVarUInt64((ulong)used);
        for (var m = 0; m < _runningGpusByModel.Length; m++)
        {
            if (IsUsed(m))
            {
                writer.WriteString(models[m].Name);
                writer.WriteDouble(_gpuSecondsByModel[m]);
                writer.WriteVarInt64(_runningGpusByModel[m]);
            }
        }
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote into an accrual that has accrued nothing.</summary>
    internal void ReadState(ref StateReader reader, ModelTable models)
    {
        AccruedUntilTicks = reader.ReadTicks("accrued until");
        RunningGpus = reader.ReadVarInt32("running GPUs");
        PeakGpus = reader.ReadVarInt32("peak GPUs");
        RunningPeakFlops = reader.ReadDouble("running peak FLOP/s");
        PeakFlop = reader.ReadDouble("peak FLOP");
        GpuSeconds = reader.ReadDouble("GPU-seconds");
        if (RunningGpus < 0 || PeakGpus < 0)
        {
            throw reader.Corrupt("running GPUs", "a GPU count is negative");
        }

        var count = reader.ReadElementCount("model count", 10);
        for (var i = 0; i < count; i++)
        {
            reader.RequireMore("model name");
            var name = reader.ReadRequiredString("model name");
            reader.RequireMore("model GPU-seconds");
            var seconds = reader.ReadDouble("model GPU-seconds");
            reader.RequireMore("model running GPUs");
            var running = reader.ReadVarInt32("model running GPUs");
            if (running < 0)
            {
                throw reader.Corrupt("model running GPUs", "a GPU count is negative");
            }

            var index = models.IndexOfName(name);
            EnsureModel(index);
            if (IsUsed(index))
            {
                throw reader.Corrupt("model name", $"model '{name}' appears twice");
            }

            _gpuSecondsByModel[index] = seconds;
            _runningGpusByModel[index] = running;
        }
    }

    private readonly bool IsUsed(int m) => _runningGpusByModel[m] != 0 || _gpuSecondsByModel[m] != 0;
}

namespace Berth.Domain.Scanning;

/// <summary>Wakes the scanning job when this process queues a scan, so it starts at once instead of at its next poll.</summary>
public sealed class ScanQueue : WakeSignal;

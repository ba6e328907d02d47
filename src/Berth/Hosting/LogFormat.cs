namespace Berth.Hosting;

/// <summary>How log lines are written: for a person reading a terminal, or one JSON object per line for a collector.</summary>
public enum LogFormat
{
    Console,
    Json,
}

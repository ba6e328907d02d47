namespace Berth.Domain.Signing;

/// <summary>Tells the background signer that a push queued work, so it signs now instead of at its next poll.</summary>
public sealed class SigningWake : WakeSignal;

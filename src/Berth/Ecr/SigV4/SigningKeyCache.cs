namespace Berth.Ecr.SigV4;

/// <summary>
/// Remembers derived signing keys: a key is fixed for a secret, day, region and service, so deriving it
/// (four HMACs) once a day per client is enough. Direct-mapped and bounded; a collision just derives again.
/// </summary>
internal sealed class SigningKeyCache
{
    private const int Slots = 64;

    private readonly Entry?[] _entries = new Entry?[Slots];

    public void GetSigningKey(string secretAccessKey, ReadOnlySpan<char> date, string region, string service, Span<byte> destination)
    {
        var hash = HashCode.Combine(
            secretAccessKey.GetHashCode(StringComparison.Ordinal),
            string.GetHashCode(date),
            region.GetHashCode(StringComparison.Ordinal),
            service.GetHashCode(StringComparison.Ordinal));
        ref var slot = ref _entries[hash & (Slots - 1)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && entry.Matches(secretAccessKey, date, region, service))
        {
            entry.SigningKey.CopyTo(destination);
            return;
        }

        SigV4Signature.DeriveSigningKey(secretAccessKey, date, region, service, destination);
        Volatile.Write(ref slot, new Entry(secretAccessKey, date.ToString(), region, service, destination.ToArray()));
    }

    private sealed class Entry(string secretAccessKey, string date, string region, string service, byte[] signingKey)
    {
        public byte[] SigningKey { get; } = signingKey;

        public bool Matches(string secret, ReadOnlySpan<char> day, string regionName, string serviceName) =>
            string.Equals(secretAccessKey, secret, StringComparison.Ordinal)
            && day.SequenceEqual(date)
            && string.Equals(region, regionName, StringComparison.Ordinal)
            && string.Equals(service, serviceName, StringComparison.Ordinal);
    }
}

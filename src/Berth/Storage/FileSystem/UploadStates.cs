using System.Collections.Concurrent;
using System.Security.Cryptography;
using Berth.Domain;

namespace Berth.Storage.FileSystem;

/// <summary>
/// What this store instance knows about each upload it touches: a gate serialising operations on it, and the running
/// sha256 of the bytes appended through this instance.
/// </summary>
/// <remarks>
/// The running hash lives only in memory (.NET cannot export a SHA-256 midstate). It is trusted only while it covers
/// exactly the bytes on disk; after a restart, an append through another instance, or a failed append, it is dropped and
/// the commit hashes the file instead. A single-node streaming upload is thus hashed exactly once, as the bytes arrive.
/// </remarks>
internal sealed class UploadStates : IDisposable
{
    private readonly ConcurrentDictionary<Guid, UploadState> _states = new();

    /// <summary>Records a new, empty upload whose every byte will pass through this instance.</summary>
    public void Begin(Guid uploadId)
    {
        var state = new UploadState();
        state.StartHash();
        if (!_states.TryAdd(uploadId, state))
        {
            state.Dispose();
        }
    }

    /// <summary>Waits for exclusive use of the upload within this instance.</summary>
    public async ValueTask<UploadLease> EnterAsync(Guid uploadId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = _states.GetOrAdd(uploadId, static _ => new UploadState());
            await state.Gate.WaitAsync(cancellationToken);
            if (!state.IsRetired)
            {
                return new UploadLease(this, uploadId, state);
            }

            state.Gate.Release();
        }
    }

    /// <summary>Takes the upload only if nobody in this instance is using it.</summary>
    public bool TryEnter(Guid uploadId, out UploadLease lease)
    {
        var state = _states.GetOrAdd(uploadId, static _ => new UploadState());
        if (state.Gate.Wait(0))
        {
            if (!state.IsRetired)
            {
                lease = new UploadLease(this, uploadId, state);
                return true;
            }

            state.Gate.Release();
        }

        lease = default;
        return false;
    }

    public void Dispose()
    {
        foreach (var state in _states.Values)
        {
            state.Dispose();
        }

        _states.Clear();
    }

    // Called with the gate held, once the upload's data is gone: later callers get a fresh state.
    internal void Retire(Guid uploadId, UploadState state)
    {
        state.IsRetired = true;
        state.Dispose();
        _states.TryRemove(new KeyValuePair<Guid, UploadState>(uploadId, state));
    }
}

/// <summary>Exclusive use of one upload within this instance, released on dispose.</summary>
internal readonly struct UploadLease(UploadStates owner, Guid uploadId, UploadState state) : IDisposable
{
    public Guid UploadId => uploadId;

    public UploadState State => state;

    /// <summary>Forgets the upload: its data has been published or removed.</summary>
    public void Retire() => owner.Retire(uploadId, state);

    public void Dispose() => state?.Gate.Release();
}

/// <summary>One upload's gate and running hash.</summary>
internal sealed class UploadState : IDisposable
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public bool IsRetired { get; set; }

    /// <summary>The running sha256 of the upload's first <see cref="HashedLength"/> bytes, or null when unknown.</summary>
    public IncrementalHash? Hash { get; private set; }

    public long HashedLength { get; set; }

    public void StartHash()
    {
        Hash?.Dispose();
        Hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        HashedLength = 0;
    }

    public void ForgetHash()
    {
        Hash?.Dispose();
        Hash = null;
        HashedLength = 0;
    }

    /// <summary>Keeps the running hash only if it covers exactly the <paramref name="length"/> bytes stored now.</summary>
    public void Reconcile(long length)
    {
        if (Hash is not null && HashedLength != length)
        {
            ForgetHash();
        }
        else if (Hash is null && length == 0)
        {
            StartHash();
        }
    }

    /// <summary>The digest of the stored bytes from the running hash, when it covers them all and the algorithm matches.</summary>
    public bool TryGetDigest(long length, DigestAlgorithm algorithm, out Digest digest)
    {
        if (Hash is null || HashedLength != length || algorithm != DigestAlgorithm.Sha256)
        {
            digest = default;
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash.GetCurrentHash(hash);
        digest = Digest.Sha256(hash);
        return true;
    }

    // The gate is not disposed: a caller may still be waiting on it, and without AvailableWaitHandle it holds nothing native.
    public void Dispose() => ForgetHash();
}

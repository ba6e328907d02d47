namespace Berth.Ecr.SigV4;

/// <summary>
/// The checked signature parts of one request, from its Authorization header or its presigned query.
/// Memory slices point into the header or query strings, so the struct survives the key lookup's await.
/// </summary>
internal readonly record struct SignatureParameters(
    string AccessKeyId,
    string Region,
    string AmzDate,
    ReadOnlyMemory<char> SignedHeaders,
    ReadOnlyMemory<char> Signature,
    bool Presigned);

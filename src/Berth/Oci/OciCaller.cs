using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Oci;

/// <summary>Who sent a /v2/ request and the registry it sees: the account and region its credentials name.</summary>
public sealed record OciCaller(Principal Principal, RegistryScope Scope);

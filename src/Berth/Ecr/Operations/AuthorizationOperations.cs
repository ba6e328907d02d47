using System.Text;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Ecr.Contracts;
using Berth.Hosting;

namespace Berth.Ecr.Operations;

/// <summary>GetAuthorizationToken: the Basic credentials docker, podman and skopeo use on /v2/.</summary>
public sealed class AuthorizationOperations(RegistryTokenService tokens, RegistryAddress address)
{
    public Task<EcrResult> GetAuthorizationTokenAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.GetAuthorizationTokenRequest);
        var caller = request.Caller;
        var (password, expiresAt) = tokens.Issue(caller.Principal, caller.Region, caller.AccessKeyId);
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + password));

        // The token works wherever the caller's principal may go; registryIds only shapes the answer.
        var registries = input.RegistryIds is { Count: > 0 } ids ? ids : [caller.AccountId];
        var data = new AuthorizationDataDto[registries.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = new AuthorizationDataDto(token, expiresAt, address.ProxyEndpoint(new RegistryScope(registries[i], caller.Region)));
        }

        return Task.FromResult(EcrResult.Ok(new GetAuthorizationTokenResponse(data), EcrJsonContext.Default.GetAuthorizationTokenResponse));
    }
}

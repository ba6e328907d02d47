using System.Net;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Berth.Tests.Hosting;

/// <summary>aws:SourceIp and aws:SecureTransport come from the connection, and from forwarding headers only when a trusted proxy wrote them.</summary>
public sealed class AuthorizationFactsTests
{
    private static readonly Principal Caller = Principal.Root("123456789012", "aws");
    private static readonly RegistryResource Registry = RegistryResource.Of(new RegistryScope("123456789012", "us-east-1"));

    [Fact]
    public void Without_trusted_proxies_forwarding_headers_are_ignored()
    {
        var facts = Facts("none");
        var request = facts.Of(Http("203.0.113.9", ("X-Forwarded-For", "127.0.0.1"), ("X-Forwarded-Proto", "https")), Caller, "ecr:ListImages", Registry);

        Assert.Equal(IPAddress.Parse("203.0.113.9"), request.SourceIp);
        Assert.False(request.SecureTransport);
    }

    [Fact]
    public void A_trusted_proxy_names_the_client_as_the_rightmost_address_that_is_not_a_proxy()
    {
        var facts = Facts("10.0.0.0/8, 192.168.1.10");

        var chained = facts.Of(Http("::ffff:10.0.0.2", ("X-Forwarded-For", "127.0.0.1, 198.51.100.4, 192.168.1.10"), ("X-Forwarded-Proto", "https")), Caller, "a", Registry);
        Assert.Equal(IPAddress.Parse("198.51.100.4"), chained.SourceIp);
        Assert.True(chained.SecureTransport);

        // An address the client wrote to the left of its own proves nothing; a garbled entry stops at the last proxy.
        Assert.Equal(IPAddress.Parse("10.0.0.2"), facts.Of(Http("10.0.0.2", ("X-Forwarded-For", "127.0.0.1, not-an-ip")), Caller, "a", Registry).SourceIp);
        Assert.Equal(IPAddress.Parse("10.0.0.2"), facts.Of(Http("10.0.0.2"), Caller, "a", Registry).SourceIp);

        // The same headers from a peer that is not a trusted proxy are not believed.
        var direct = facts.Of(Http("198.51.100.7", ("X-Forwarded-For", "10.0.0.3"), ("X-Forwarded-Proto", "https")), Caller, "a", Registry);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), direct.SourceIp);
        Assert.False(direct.SecureTransport);
    }

    [Fact]
    public void The_audit_trail_sees_the_same_source_address_as_the_conditions()
    {
        var facts = Facts("10.0.0.0/8");
        var proxied = Http("10.0.0.2", ("X-Forwarded-For", "198.51.100.4"));
        var direct = Http("198.51.100.7", ("X-Forwarded-For", "10.0.0.3"));

        Assert.Equal(IPAddress.Parse("198.51.100.4"), facts.SourceIpOf(proxied));
        Assert.Equal(facts.Of(proxied, Caller, "a", Registry).SourceIp, facts.SourceIpOf(proxied));
        Assert.Equal(IPAddress.Parse("198.51.100.7"), facts.SourceIpOf(direct));
    }

    [Fact]
    public void A_bad_trusted_proxies_value_is_refused_with_one_line()
    {
        var error = BerthSettings.TrustedProxies.Bind(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Berth:TrustedProxies"] = "10.0.0.0/8,proxy.local" }).Build(),
            new BerthOptions());

        Assert.StartsWith("berth: invalid value '10.0.0.0/8,proxy.local' for --trusted-proxies", error, StringComparison.Ordinal);
    }

    private static AuthorizationFacts Facts(string trusted)
    {
        var options = new BerthOptions();
        Assert.Null(BerthSettings.TrustedProxies.Bind(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Berth:TrustedProxies"] = trusted }).Build(), options));
        return new AuthorizationFacts(options);
    }

    private static DefaultHttpContext Http(string peer, params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }

        return http;
    }
}

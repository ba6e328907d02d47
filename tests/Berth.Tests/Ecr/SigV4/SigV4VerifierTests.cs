using Berth.Domain;
using Berth.Ecr.SigV4;
using Berth.Tests.Support;

namespace Berth.Tests.Ecr.SigV4;

public sealed class SigV4VerifierTests
{
    private const string SignatureMismatch =
        "The request signature we calculated does not match the signature you provided. "
        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private static readonly BotocoreSignedRequest Describe = BotocoreSignedRequest.Named("describe-repositories");
    private static readonly BotocoreSignedRequest Presigned = BotocoreSignedRequest.Named("presigned-query");

    public static TheoryData<string, bool> SignedRequests()
    {
        var data = new TheoryData<string, bool>();
        foreach (var request in BotocoreSignedRequest.All)
        {
            // A correctly signed request, but one the ECR endpoint refuses (Unsigned_payload_is_refused...).
            if (request.Name == "unsigned-payload")
            {
                continue;
            }

            data.Add(request.Name, true);
            data.Add(request.Name, false);
        }

        return data;
    }

    [Fact]
    public void Fixture_covers_header_date_header_and_presigned_forms()
    {
        Assert.Equal(11, BotocoreSignedRequest.All.Count);
        Assert.Contains(BotocoreSignedRequest.All, r => r.Header("Date") is not null);
        Assert.Contains(BotocoreSignedRequest.All, r => r.Url.Contains("X-Amz-Signature=", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SignedRequests))]
    public async Task Botocore_signed_request_is_accepted(string name, bool withRawTarget)
    {
        var signed = BotocoreSignedRequest.Named(name);

        var outcome = await VerifyAsync(signed, withRawTarget: withRawTarget);

        Assert.True(outcome.Succeeded, outcome.ToString());
        Assert.Equal(BotocoreSignedRequest.AccessKeyId, outcome.AccessKey.AccessKeyId);
        Assert.Equal("123456789012", outcome.AccessKey.AccountId);
        Assert.Equal("us-east-1", outcome.Region);
        Assert.Equal("ecr", outcome.Service);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Null(outcome.ErrorType);
    }

    [Fact]
    public async Task Botocore_signed_request_is_accepted_when_the_key_lookup_completes_asynchronously()
    {
        var keys = new FakeAccessKeyLookup(yieldFirst: true).Add(BotocoreSignedRequest.AccessKeyId, BotocoreSignedRequest.SecretAccessKey);

        var outcome = await VerifyAsync(Describe, keys: keys);

        Assert.True(outcome.Succeeded, outcome.ToString());
        Assert.Equal(1, keys.Lookups);
    }

    [Theory]
    [InlineData("describe-repositories")]
    [InlineData("presigned-query")]
    public async Task Request_signed_with_another_secret_fails_with_InvalidSignatureException(string name)
    {
        var keys = new FakeAccessKeyLookup().Add(BotocoreSignedRequest.AccessKeyId, "another-secret");

        var outcome = await VerifyAsync(BotocoreSignedRequest.Named(name), keys: keys);

        AssertFailure(outcome, "InvalidSignatureException", 400, SignatureMismatch);
    }

    [Theory]
    [InlineData("describe-repositories")]
    [InlineData("presigned-query")]
    public async Task Unknown_access_key_fails_with_UnrecognizedClientException(string name)
    {
        var keys = new FakeAccessKeyLookup().Add("AKIAOTHERKEY", BotocoreSignedRequest.SecretAccessKey);

        var outcome = await VerifyAsync(BotocoreSignedRequest.Named(name), keys: keys);

        AssertFailure(outcome, "UnrecognizedClientException", 400, "The security token included in the request is invalid.");
    }

    [Theory]
    [InlineData("describe-repositories", "{\"repositoryNames\": [\"app\", \"team/wEb\"]}")]
    [InlineData("utf8-body", "{}")]
    [InlineData("presigned-query", "{}")]
    public async Task Tampered_body_fails_with_InvalidSignatureException(string name, string body)
    {
        var outcome = await VerifyAsync(BotocoreSignedRequest.Named(name) with { Body = body });

        AssertFailure(outcome, "InvalidSignatureException", 400, SignatureMismatch);
    }

    [Fact]
    public async Task Tampered_signed_header_fails_with_InvalidSignatureException()
    {
        var tampered = Describe.WithHeader("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DeleteRepository");

        AssertFailure(await VerifyAsync(tampered), "InvalidSignatureException", 400, SignatureMismatch);
    }

    [Fact]
    public async Task Unsigned_header_may_change()
    {
        var changed = Describe.WithHeader("User-Agent", "something-else").WithHeader("amz-sdk-request", "attempt=2");

        Assert.True((await VerifyAsync(changed)).Succeeded);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("dab41aa3")]
    [InlineData("zz")]
    [InlineData("dab41aa3a2dbb7492b893785b9a807c9b025714ae2529e7f6c00f3a5a469a0b3a")]
    public async Task Wrong_or_malformed_signature_fails_with_InvalidSignatureException(string signature)
    {
        var forged = Describe.WithAuthorizationEdit(
            "Signature=dab41aa3a2dbb7492b893785b9a807c9b025714ae2529e7f6c00f3a5a469a0b3", "Signature=" + signature);

        AssertFailure(await VerifyAsync(forged), "InvalidSignatureException", 400, SignatureMismatch);
    }

    [Fact]
    public async Task Request_older_than_five_minutes_fails_with_Signature_expired()
    {
        var clock = new FixedTimeProvider(Describe.SignedAt);
        clock.Advance(TimeSpan.FromMinutes(6));

        var outcome = await VerifyAsync(Describe, clock);

        AssertFailure(outcome, "InvalidSignatureException", 400,
            "Signature expired: 20250115T103000Z is now earlier than 20250115T103100Z (20250115T103600Z - 5 min.)");
    }

    [Fact]
    public async Task Request_more_than_five_minutes_ahead_fails_with_Signature_not_yet_current()
    {
        var clock = new FixedTimeProvider(Describe.SignedAt);
        clock.Advance(TimeSpan.FromMinutes(-6));

        var outcome = await VerifyAsync(Describe, clock);

        AssertFailure(outcome, "InvalidSignatureException", 400,
            "Signature not yet current: 20250115T103000Z is still later than 20250115T102900Z (20250115T102400Z + 5 min.)");
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(-1)]
    [InlineData(299)]
    [InlineData(300)]
    public async Task Request_up_to_five_minutes_from_now_is_accepted(int secondsFromSigning)
    {
        var clock = new FixedTimeProvider(Describe.SignedAt.AddSeconds(secondsFromSigning));

        Assert.True((await VerifyAsync(Describe, clock)).Succeeded);
    }

    [Fact]
    public async Task Date_header_time_is_checked_too()
    {
        var clock = new FixedTimeProvider(Describe.SignedAt.AddMinutes(10));

        var outcome = await VerifyAsync(BotocoreSignedRequest.Named("date-header"), clock);

        AssertFailure(outcome, "InvalidSignatureException", 400,
            "Signature expired: 20250115T103000Z is now earlier than 20250115T103500Z (20250115T104000Z - 5 min.)");
    }

    [Fact]
    public async Task Missing_authorization_fails_with_MissingAuthenticationTokenException()
    {
        var outcome = await VerifyAsync(Describe.WithHeader("Authorization", null));

        AssertFailure(outcome, "MissingAuthenticationTokenException", 403, "Missing Authentication Token");
    }

    [Theory]
    [InlineData("Basic QUtJRDpzZWNyZXQ=")]
    [InlineData("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=")]
    public async Task Authorization_that_is_not_SigV4_fails_with_MissingAuthenticationTokenException(string authorization)
    {
        var outcome = await VerifyAsync(Describe.WithHeader("Authorization", authorization));

        AssertFailure(outcome, "MissingAuthenticationTokenException", 403, "Missing Authentication Token");
    }

    [Fact]
    public async Task Authorization_without_Credential_fails_with_IncompleteSignatureException()
    {
        const string authorization =
            "AWS4-HMAC-SHA256 SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=dab41aa3a2dbb7492b893785b9a807c9b025714ae2529e7f6c00f3a5a469a0b3";

        var outcome = await VerifyAsync(Describe.WithHeader("Authorization", authorization));

        AssertFailure(outcome, "IncompleteSignatureException", 400,
            "Authorization header requires 'Credential' parameter. Authorization=" + authorization);
    }

    [Fact]
    public async Task Authorization_missing_everything_names_every_missing_part()
    {
        var outcome = await VerifyAsync(Describe.WithHeader("Authorization", "AWS4-HMAC-SHA256").WithHeader("X-Amz-Date", null));

        AssertFailure(outcome, "IncompleteSignatureException", 400,
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
            + "Authorization header requires 'SignedHeaders' parameter. "
            + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256");
    }

    [Theory]
    [InlineData("SignedHeaders=content-type;host;x-amz-date;x-amz-target, ", "", "Authorization header requires 'SignedHeaders' parameter.")]
    [InlineData(", Signature=dab41aa3a2dbb7492b893785b9a807c9b025714ae2529e7f6c00f3a5a469a0b3", "", "Authorization header requires 'Signature' parameter.")]
    [InlineData("Credential=", "Credential", "'Credential", "not a valid key=value pair (missing equal-sign)")]
    [InlineData("AKIAIOSFODNN7EXAMPLE/20250115/", "AKIAIOSFODNN7EXAMPLE/", "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAIOSFODNN7EXAMPLE/us-east-1/ecr/aws4_request'")]
    [InlineData("/aws4_request", "/aws4_request/extra", "Credential must have exactly 5 slash-delimited elements")]
    [InlineData("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA512 ", "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now).")]
    public async Task Malformed_authorization_fails_with_IncompleteSignatureException(string oldValue, string newValue, string expectedStart, string? expectedAlso = null)
    {
        var outcome = await VerifyAsync(Describe.WithAuthorizationEdit(oldValue, newValue));

        Assert.False(outcome.Succeeded);
        Assert.Equal("IncompleteSignatureException", outcome.ErrorType);
        Assert.Equal(400, outcome.StatusCode);
        Assert.StartsWith(expectedStart, outcome.Message, StringComparison.Ordinal);
        if (expectedAlso is not null)
        {
            Assert.Contains(expectedAlso, outcome.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Trailing_slash_on_the_credential_is_ignored()
    {
        var edited = Describe.WithAuthorizationEdit("aws4_request,", "aws4_request/,");

        Assert.True((await VerifyAsync(edited)).Succeeded);
    }

    [Theory]
    [InlineData("2025-01-15T10:30:00Z")]
    [InlineData("20250115")]
    [InlineData("20251315T103000Z")]
    public async Task Malformed_X_Amz_Date_fails_with_IncompleteSignatureException(string amzDate)
    {
        var outcome = await VerifyAsync(Describe.WithHeader("X-Amz-Date", amzDate));

        AssertFailure(outcome, "IncompleteSignatureException", 400,
            $"Date must be in ISO-8601 'basic format'. Got '{amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601");
    }

    [Theory]
    [InlineData("/ecr/", "/s3/", "Credential should be scoped to correct service: 'ecr'.")]
    [InlineData("/ecr/", "/api.ecr/", "Credential should be scoped to correct service: 'ecr'.")]
    [InlineData("/aws4_request", "/aws5_request", "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.")]
    [InlineData("/us-east-1/", "/US_EAST/", "Credential should be scoped to a valid region, not 'US_EAST'.")]
    [InlineData("/20250115/", "/20250114/",
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20250114' != '20250115', from '20250115T103000Z'.")]
    [InlineData("/20250115/us-east-1/ecr/aws4_request", "/20250114/us-east-1/s3/aws4",
        "Credential should be scoped to correct service: 'ecr'. "
        + "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4'. "
        + "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20250114' != '20250115', from '20250115T103000Z'.")]
    public async Task Wrong_credential_scope_fails_with_InvalidSignatureException(string oldValue, string newValue, string message)
    {
        var outcome = await VerifyAsync(Describe.WithAuthorizationEdit(oldValue, newValue));

        AssertFailure(outcome, "InvalidSignatureException", 400, message);
    }

    [Fact]
    public async Task Credential_scoped_to_another_service_fails_for_presigned_requests_too()
    {
        var edited = Presigned with { Url = Presigned.Url.Replace("%2Fecr%2F", "%2Fs3%2F", StringComparison.Ordinal) };

        AssertFailure(await VerifyAsync(edited), "InvalidSignatureException", 400, "Credential should be scoped to correct service: 'ecr'.");
    }

    [Fact]
    public async Task Host_not_among_signed_headers_fails_with_InvalidSignatureException()
    {
        var edited = Describe.WithAuthorizationEdit("content-type;host;x-amz-date", "content-type;x-amz-date");

        AssertFailure(await VerifyAsync(edited), "InvalidSignatureException", 400,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    [Fact]
    public async Task X_Amz_Date_not_among_signed_headers_fails_with_InvalidSignatureException()
    {
        var edited = Describe.WithAuthorizationEdit("host;x-amz-date;x-amz-target", "host;x-amz-target");

        AssertFailure(await VerifyAsync(edited), "InvalidSignatureException", 400,
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
    }

    [Fact]
    public async Task X_Amz_Content_Sha256_that_does_not_match_the_body_fails_with_InvalidSignatureException()
    {
        var declared = Describe.WithHeader("X-Amz-Content-Sha256", new string('0', 64));

        AssertFailure(await VerifyAsync(declared), "InvalidSignatureException", 400,
            "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    [Fact]
    public async Task Body_changed_under_a_declared_payload_hash_fails_with_InvalidSignatureException()
    {
        var tampered = BotocoreSignedRequest.Named("declared-payload-hash") with { Body = "{\"repositoryName\": \"other\"}" };

        AssertFailure(await VerifyAsync(tampered), "InvalidSignatureException", 400,
            "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"anything\": true}")]
    public async Task Unsigned_payload_is_refused_so_the_body_is_always_signed(string body)
    {
        var unsigned = BotocoreSignedRequest.Named("unsigned-payload") with { Body = body };

        AssertFailure(await VerifyAsync(unsigned), "InvalidSignatureException", 400,
            "'x-amz-content-sha256' UNSIGNED-PAYLOAD is not accepted by this service; the request body must be signed.");
    }

    [Fact]
    public async Task X_Amz_Target_not_among_signed_headers_fails_with_InvalidSignatureException()
    {
        var edited = Describe.WithAuthorizationEdit("host;x-amz-date;x-amz-target", "host;x-amz-date");

        AssertFailure(await VerifyAsync(edited), "InvalidSignatureException", 400,
            "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
    }

    [Fact]
    public async Task Headers_alone_refuse_an_unknown_key_and_pass_a_known_one()
    {
        var verifier = new SigV4Verifier(Keys(), new FixedTimeProvider(Describe.SignedAt));
        var unknown = new SigV4Verifier(new FakeAccessKeyLookup().Add("AKIAOTHERKEY", "x"), new FixedTimeProvider(Describe.SignedAt));

        Assert.Null(await verifier.CheckBeforeBodyAsync(Describe.ToHttpContext(true).Request, CancellationToken.None));
        var refused = await unknown.CheckBeforeBodyAsync(Describe.ToHttpContext(true).Request, CancellationToken.None);
        Assert.Equal("UnrecognizedClientException", refused?.ErrorType);
    }

    [Fact]
    public async Task Presigned_request_is_accepted_until_X_Amz_Expires_runs_out()
    {
        var clock = new FixedTimeProvider(Presigned.SignedAt.AddSeconds(300));
        Assert.True((await VerifyAsync(Presigned, clock)).Succeeded);

        clock.Advance(TimeSpan.FromSeconds(1));
        AssertFailure(await VerifyAsync(Presigned, clock), "InvalidSignatureException", 400,
            "Signature expired: 20250115T103000Z is now earlier than 20250115T103001Z (20250115T103501Z - 300 sec.)");
    }

    [Fact]
    public async Task Presigned_request_may_outlive_the_clock_skew_window_when_X_Amz_Expires_allows()
    {
        var signed = BotocoreSignedRequest.Named("presigned-query-with-params");
        var clock = new FixedTimeProvider(signed.SignedAt.AddMinutes(14));

        Assert.True((await VerifyAsync(signed, clock)).Succeeded);
    }

    [Fact]
    public async Task Presigned_request_signed_in_the_future_fails_with_Signature_not_yet_current()
    {
        var clock = new FixedTimeProvider(Presigned.SignedAt.AddMinutes(-6));

        AssertFailure(await VerifyAsync(Presigned, clock), "InvalidSignatureException", 400,
            "Signature not yet current: 20250115T103000Z is still later than 20250115T102900Z (20250115T102400Z + 5 min.)");
    }

    [Theory]
    [InlineData("note=a%20b%2Fc", "note=a%20b%2Fd")]
    [InlineData("X-Amz-Expires=900", "X-Amz-Expires=901")]
    [InlineData("&empty=", "&empty=&added=1")]
    public async Task Presigned_request_with_an_altered_query_fails_with_InvalidSignatureException(string oldValue, string newValue)
    {
        var signed = BotocoreSignedRequest.Named("presigned-query-with-params");
        var edited = signed with { Url = signed.Url.Replace(oldValue, newValue, StringComparison.Ordinal) };

        AssertFailure(await VerifyAsync(edited), "InvalidSignatureException", 400, SignatureMismatch);
    }

    [Theory]
    [InlineData("&X-Amz-Signature=")]
    [InlineData("&X-Amz-Expires=")]
    [InlineData("&X-Amz-Date=")]
    public async Task Presigned_request_missing_a_parameter_fails_with_IncompleteSignatureException(string parameter)
    {
        var start = Presigned.Url.IndexOf(parameter, StringComparison.Ordinal);
        var end = Presigned.Url.IndexOf('&', start + 1);
        var edited = Presigned with { Url = end < 0 ? Presigned.Url[..start] : Presigned.Url[..start] + Presigned.Url[end..] };

        AssertFailure(await VerifyAsync(edited), "IncompleteSignatureException", 400,
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
            + "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
    }

    [Theory]
    [InlineData("X-Amz-Expires=300", "X-Amz-Expires=604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800")]
    [InlineData("X-Amz-Expires=300", "X-Amz-Expires=-1", "X-Amz-Expires must be non-negative")]
    [InlineData("X-Amz-Expires=300", "X-Amz-Expires=soon", "X-Amz-Expires should be a number")]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256",
        "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now).")]
    public async Task Presigned_request_with_a_bad_parameter_fails_with_IncompleteSignatureException(string oldValue, string newValue, string message)
    {
        var edited = Presigned with { Url = Presigned.Url.Replace(oldValue, newValue, StringComparison.Ordinal) };

        AssertFailure(await VerifyAsync(edited), "IncompleteSignatureException", 400, message);
    }

    [Fact]
    public async Task Signing_key_cache_never_answers_for_another_secret()
    {
        var verifier = new SigV4Verifier(Keys(), new FixedTimeProvider(Describe.SignedAt));
        var wrongSecret = new SigV4Verifier(new FakeAccessKeyLookup().Add(BotocoreSignedRequest.AccessKeyId, "rotated"), new FixedTimeProvider(Describe.SignedAt));

        Assert.True((await verifier.VerifyAsync(Describe.ToHttpContext().Request, Describe.BodyBytes, default)).Succeeded);
        Assert.True((await verifier.VerifyAsync(Describe.ToHttpContext().Request, Describe.BodyBytes, default)).Succeeded);
        Assert.False((await wrongSecret.VerifyAsync(Describe.ToHttpContext().Request, Describe.BodyBytes, default)).Succeeded);

        var rotatingKeys = new RotatingLookup(BotocoreSignedRequest.SecretAccessKey);
        var shared = new SigV4Verifier(rotatingKeys, new FixedTimeProvider(Describe.SignedAt));
        Assert.True((await shared.VerifyAsync(Describe.ToHttpContext().Request, Describe.BodyBytes, default)).Succeeded);
        rotatingKeys.Secret = "rotated";
        Assert.False((await shared.VerifyAsync(Describe.ToHttpContext().Request, Describe.BodyBytes, default)).Succeeded);
    }

    [Fact]
    public void Failure_outcome_text_names_the_error_and_success_text_hides_the_secret()
    {
        var success = SigV4Outcome.Success(new AccessKey("AKID", "very-secret", "123456789012", DateTimeOffset.UnixEpoch), "us-east-1", "ecr");

        Assert.DoesNotContain("very-secret", success.ToString(), StringComparison.Ordinal);
        Assert.Equal("403 MissingAuthenticationTokenException: x", SigV4Outcome.Failure("MissingAuthenticationTokenException", "x", 403).ToString());
    }

    private static FakeAccessKeyLookup Keys() =>
        new FakeAccessKeyLookup().Add(BotocoreSignedRequest.AccessKeyId, BotocoreSignedRequest.SecretAccessKey);

    private static async Task<SigV4Outcome> VerifyAsync(
        BotocoreSignedRequest signed, FixedTimeProvider? clock = null, IAccessKeyLookup? keys = null, bool withRawTarget = true)
    {
        var verifier = new SigV4Verifier(keys ?? Keys(), clock ?? new FixedTimeProvider(signed.SignedAt));
        return await verifier.VerifyAsync(signed.ToHttpContext(withRawTarget).Request, signed.BodyBytes, CancellationToken.None);
    }

    private static void AssertFailure(SigV4Outcome outcome, string errorType, int statusCode, string message)
    {
        Assert.False(outcome.Succeeded, "expected a failure");
        Assert.Equal(errorType, outcome.ErrorType);
        Assert.Equal(message, outcome.Message);
        Assert.Equal(statusCode, outcome.StatusCode);
        Assert.Null(outcome.AccessKey);
    }

    private sealed class RotatingLookup(string secret) : IAccessKeyLookup
    {
        public string Secret { get; set; } = secret;

        public ValueTask<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<AccessKey?>(new AccessKey(accessKeyId, Secret, "123456789012", DateTimeOffset.UnixEpoch));
    }
}

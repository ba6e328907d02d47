using System.Text.RegularExpressions;
using Berth.Domain;
using Berth.Domain.Repositories;
using Berth.Tests.Support;

namespace Berth.Tests.Ecr;

/// <summary>
/// Answers where ECR's own differ from what a reading of the model suggests: the AWS-managed key named for KMS
/// repositories without a key, and AWS's wording of enum violations, also for the account-setting names and values
/// that the model types as free strings.
/// </summary>
public sealed partial class EcrAnswerWordingTests : IAsyncLifetime
{
    private BerthHost _host = null!;

    private EcrClient Ecr => _host.Ecr();

    public async Task InitializeAsync() => _host = await BerthHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task KMS_without_a_key_names_the_registrys_AWS_managed_key_in_every_repository_answer()
    {
        var created = (await Ecr.OkAsync("CreateRepository", """{"repositoryName":"kms","encryptionConfiguration":{"encryptionType":"KMS"}}"""))
            .GetProperty("repository").GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString()!;
        var dsse = (await Ecr.OkAsync("CreateRepository", """{"repositoryName":"dsse","encryptionConfiguration":{"encryptionType":"KMS_DSSE"}}"""))
            .GetProperty("repository").GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString();
        var described = (await Ecr.OkAsync("DescribeRepositories", """{"repositoryNames":["kms"]}"""))
            .GetProperty("repositories")[0].GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString();
        var deleted = (await Ecr.OkAsync("DeleteRepository", """{"repositoryName":"kms"}"""))
            .GetProperty("repository").GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString();

        Assert.Matches(ManagedKeyArn(), created);
        Assert.StartsWith($"arn:aws:kms:us-east-1:{Ecr.AccountId}:key/", created, StringComparison.Ordinal);
        Assert.Equal(created, dsse);
        Assert.Equal(created, described);
        Assert.Equal(created, deleted);
    }

    [Fact]
    public async Task AES256_names_no_key_and_a_given_key_is_kept()
    {
        var aes = (await Ecr.OkAsync("CreateRepository", """{"repositoryName":"aes"}""")).GetProperty("repository").GetProperty("encryptionConfiguration");
        var own = (await Ecr.OkAsync(
                "CreateRepository",
                """{"repositoryName":"own","encryptionConfiguration":{"encryptionType":"KMS","kmsKey":"arn:aws:kms:us-east-1:123456789012:key/mine"}}"""))
            .GetProperty("repository").GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString();

        Assert.False(aes.TryGetProperty("kmsKey", out _));
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:key/mine", own);
    }

    [Fact]
    public void The_managed_key_is_stable_per_account_and_region_and_differs_between_them()
    {
        var key = AwsManagedKey.ArnOf(new RegistryScope("123456789012", "us-east-1"));

        Assert.Equal(key, AwsManagedKey.ArnOf(new RegistryScope("123456789012", "us-east-1")));
        Assert.NotEqual(key, AwsManagedKey.ArnOf(new RegistryScope("210987654321", "us-east-1")));
        Assert.StartsWith("arn:aws:kms:eu-west-1:123456789012:key/", AwsManagedKey.ArnOf(new RegistryScope("123456789012", "eu-west-1")), StringComparison.Ordinal);
        Assert.StartsWith("arn:aws-cn:kms:cn-north-1:", AwsManagedKey.ArnOf(new RegistryScope("123456789012", "cn-north-1")), StringComparison.Ordinal);
        Assert.Matches(ManagedKeyArn(), key);
    }

    [Fact]
    public async Task An_enum_violation_is_worded_as_AWS_words_it()
    {
        var message = await Ecr.FailsAsync("CreateRepository", """{"repositoryName":"app","imageTagMutability":"SOMETIMES"}""", "InvalidParameterException");

        Assert.Equal(
            "Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]'",
            message);
    }

    [Fact]
    public async Task Unknown_account_setting_names_and_values_are_worded_as_enum_violations()
    {
        var name = await Ecr.FailsAsync("GetAccountSetting", """{"name":"NOPE"}""", "InvalidParameterException");
        var value = await Ecr.FailsAsync("PutAccountSetting", """{"name":"BLOB_MOUNTING","value":"SOMETIMES"}""", "InvalidParameterException");

        Assert.Equal(
            "Invalid parameter at 'name' failed to satisfy constraint: 'Member must satisfy enum value set: [BASIC_SCAN_TYPE_VERSION, BLOB_MOUNTING, REGISTRY_POLICY_SCOPE]'",
            name);
        Assert.Equal("Invalid parameter at 'value' failed to satisfy constraint: 'Member must satisfy enum value set: [ENABLED, DISABLED]'", value);
    }

    [Fact]
    public async Task Length_and_range_violations_say_Member_while_repository_names_keep_ECRs_own_wording()
    {
        var range = await Ecr.FailsAsync("DescribeRepositories", """{"maxResults":0}""", "InvalidParameterException");
        var name = await Ecr.FailsAsync("CreateRepository", """{"repositoryName":"a"}""", "InvalidParameterException");

        Assert.Equal("Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value greater than or equal to 1'", range);
        Assert.Equal("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'", name);
    }

    [GeneratedRegex("^arn:aws:kms:us-east-1:[0-9]{12}:key/[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex ManagedKeyArn();
}

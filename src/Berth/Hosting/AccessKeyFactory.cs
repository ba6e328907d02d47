using System.Security.Cryptography;
using Berth.Domain;

namespace Berth.Hosting;

/// <summary>Makes new access key pairs shaped like AWS's: a 20-character AKIA id and a 40-character secret.</summary>
public static class AccessKeyFactory
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static AccessKey Create(string accountId, DateTimeOffset now) =>
        new("AKIA" + RandomNumberGenerator.GetString(IdAlphabet, 16), RandomNumberGenerator.GetString(SecretAlphabet, 40), accountId, now);

    /// <summary>
    /// The lines a user pastes to point the aws CLI at this key: environment variables for this shell, or a named profile,
    /// never the default profile, which may hold the user's real AWS credentials.
    /// </summary>
    public static string ConfigureHint(AccessKey key, string region) =>
        $"""
        Access key for account {key.AccountId}:
          aws_access_key_id     = {key.AccessKeyId}
          aws_secret_access_key = {key.SecretAccessKey}
        To use it in this shell:
          export AWS_ACCESS_KEY_ID={key.AccessKeyId} AWS_SECRET_ACCESS_KEY={key.SecretAccessKey} AWS_DEFAULT_REGION={region}
        or as the aws CLI profile 'berth' (then pass --profile berth):
          aws configure set aws_access_key_id {key.AccessKeyId} --profile berth
          aws configure set aws_secret_access_key {key.SecretAccessKey} --profile berth
          aws configure set region {region} --profile berth
        """;
}

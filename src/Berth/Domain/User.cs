namespace Berth.Domain;

/// <summary>A named IAM-style user of one account; its access keys act as it and its identity policies say what it may do.</summary>
public sealed record User(string AccountId, string Name, string Arn, DateTimeOffset CreatedAt)
{
    /// <summary>IAM's user-name rule: 1 to 64 of letters, digits and <c>+=,.@_-</c>.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "+=,.@_-".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A new user with its ARN in the standard partition.</summary>
    public static User Create(string accountId, string name, DateTimeOffset createdAt) =>
        new(accountId, name, $"arn:aws:iam::{accountId}:user/{name}", createdAt);
}

/// <summary>An identity policy attached to a user: its name and its JSON text exactly as given.</summary>
public sealed record UserPolicy(string PolicyName, string Document);

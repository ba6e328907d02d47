namespace Berth.Domain.Auth.Policies;

/// <summary>
/// How a refused policy is reported. ECR answers <c>Invalid parameter at 'PolicyText' failed to satisfy constraint:
/// 'Invalid repository policy provided'</c> (or <c>registry</c>); Berth keeps that text and adds what is wrong, after
/// a colon inside the quotes, so clients matching ECR's prefix still match.
/// </summary>
public static class PolicyMessages
{
    public static string InvalidParameter(PolicyKind kind, string detail) => kind switch
    {
        PolicyKind.Repository => $"Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided: {detail}'",
        PolicyKind.Registry => $"Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided: {detail}'",
        _ => $"Invalid identity policy: {detail}",
    };

    public const string NotJson = "the policy is not valid JSON";
    public const string NotObject = "the policy must be a JSON object";
    public const string BadVersion = "Version must be '2012-10-17' or '2008-10-17'";
    public const string BadId = "Id must be a string";
    public const string MissingStatement = "Statement is required";
    public const string BadStatement = "Statement must be an object or a non-empty array of objects";

    public static string TooLong(int max) => $"the policy is longer than {max} characters";

    public static string UnknownElement(string where, string name) => $"{where}unknown element '{name}'";

    public static string DuplicateElement(string where, string name) => $"{where}element '{name}' appears more than once";

    public static string BadEffect(string where) => $"{where}Effect must be 'Allow' or 'Deny'";

    public static string MissingEffect(string where) => $"{where}Effect is required";

    public static string Both(string where, string name) => $"{where}cannot have both {name} and Not{name}";

    public static string MissingAction(string where) => $"{where}Action or NotAction is required";

    public static string MissingPrincipal(string where) => $"{where}Principal or NotPrincipal is required in a resource policy";

    public static string PrincipalInIdentityPolicy(string where) => $"{where}an identity policy cannot name a Principal or NotPrincipal";

    public static string MissingResource(string where) => $"{where}Resource or NotResource is required in an identity policy";

    public static string NotStrings(string where, string name) => $"{where}{name} must be a string or a non-empty array of strings";

    public static string BadSid(string where) => $"{where}Sid must be a string";

    public static string BadAction(string where, string action) => $"{where}Action '{action}' is not '*' or '<service>:<action>'";

    public static string BadResource(string where, string resource) => $"{where}Resource '{resource}' is not '*' or an ARN";

    public static string BadPrincipal(string where, string principal) =>
        $"{where}Principal '{principal}' is not '*', an account id, or an IAM root, user or role ARN";

    public static string BadPrincipalShape(string where) => $"{where}Principal must be '*' or an object such as {{\"AWS\": ...}}";

    public static string UnsupportedPrincipalType(string where, string type) =>
        $"{where}Principal type '{type}' is not supported (use AWS or Service)";

    public static string BadCondition(string where) => $"{where}Condition must be an object of operators, each an object of keys";

    public static string UnknownOperator(string where, string op) => $"{where}condition operator '{op}' is not supported";

    public static string UnknownKey(string where, string key) => $"{where}condition key '{key}' is not supported";

    public static string KeyOperatorMismatch(string where, string op, string key) => $"{where}condition key '{key}' cannot be used with {op}";

    public static string SetKeyNeedsQualifier(string where, string op, string key) =>
        $"{where}condition key '{key}' holds several values: write ForAllValues:{op} or ForAnyValue:{op}";

    public static string BadConditionValues(string where, string op, string key) =>
        $"{where}values of '{key}' under {op} must be a string, number or boolean, or a non-empty array of them";

    public static string BadConditionValue(string where, string op, string value) => $"{where}'{value}' is not a valid value for {op}";

    public static string PolicyVariable(string where, string value) => $"{where}policy variables are not supported ('{value}')";

    public static string RegistryScopeV1(string action) =>
        $"with registry policy scope V1 only ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository may be granted, not '{action}'";
}

namespace Berth.Ecr.Contracts;

public sealed record SetRepositoryPolicyRequest(string? RegistryId, string RepositoryName, string PolicyText, bool? Force);

/// <summary>GetRepositoryPolicy's and DeleteRepositoryPolicy's request.</summary>
public sealed record RepositoryPolicyRequest(string? RegistryId, string RepositoryName);

/// <summary>The answer of the three repository policy operations.</summary>
public sealed record RepositoryPolicyResponse(string RegistryId, string RepositoryName, string PolicyText);

public sealed record PutRegistryPolicyRequest(string PolicyText);

/// <summary>The answer of the three registry policy operations.</summary>
public sealed record RegistryPolicyResponse(string RegistryId, string PolicyText);

public sealed record GetAccountSettingRequest(string Name);

public sealed record PutAccountSettingRequest(string Name, string Value);

/// <summary>GetAccountSetting's and PutAccountSetting's answer.</summary>
public sealed record AccountSettingResponse(string Name, string Value);

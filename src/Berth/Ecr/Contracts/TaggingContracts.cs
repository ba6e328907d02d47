namespace Berth.Ecr.Contracts;

public sealed record TagResourceRequest(string ResourceArn, IReadOnlyList<TagDto> Tags);

public sealed record UntagResourceRequest(string ResourceArn, IReadOnlyList<string> TagKeys);

public sealed record ListTagsForResourceRequest(string ResourceArn);

public sealed record ListTagsForResourceResponse(IReadOnlyList<TagDto> Tags);

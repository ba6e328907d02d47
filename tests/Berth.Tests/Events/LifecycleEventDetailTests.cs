using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Events;

namespace Berth.Tests.Events;

/// <summary>The lifecycle run's record on its own: the limits ECR puts on it.</summary>
public sealed class LifecycleEventDetailTests
{
    [Fact]
    public void An_image_with_more_than_a_hundred_tags_is_named_with_its_first_hundred()
    {
        var tags = Enumerable.Range(0, 150).Select(i => $"t{i}").ToList();
        var digest = Digest.Parse("sha256:" + new string('a', 64));
        var run = new LifecycleRunEvent([], "{\"rules\":[]}", null, [new ExpiredImage(digest, tags, DateTimeOffset.UnixEpoch.AddDays(1), 2)]);
        var repository = new RepositoryKey("123456789012", "us-east-1", "many/tags");

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            LifecycleEventDetail.Write(json, repository, run, "id", DateTimeOffset.UnixEpoch);
            json.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        var image = document.RootElement.GetProperty("serviceEventDetails").GetProperty("lifecycleEventImageActions")[0].GetProperty("lifecycleEventImage");
        Assert.Equal(tags.Take(LifecycleEventDetail.MaxTagsPerImage), image.GetProperty("tagList").EnumerateArray().Select(tag => tag.GetString()));
        Assert.Equal("Tagged", image.GetProperty("tagStatus").GetString());
        Assert.Equal(86_400_000, image.GetProperty("pushedAt").GetInt64());
    }

    [Fact]
    public void The_policy_id_is_a_uuid_that_follows_the_policy_text()
    {
        var id = LifecycleEventDetail.PolicyId("{\"rules\":[]}");
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(id, LifecycleEventDetail.PolicyId("{\"rules\":[]}"));
        Assert.NotEqual(id, LifecycleEventDetail.PolicyId("{\"rules\":[ ]}"));
    }
}

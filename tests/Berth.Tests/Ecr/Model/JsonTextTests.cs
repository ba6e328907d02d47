using System.Text;
using Berth.Ecr.Model;

namespace Berth.Tests.Ecr.Model;

public sealed class JsonTextTests
{
    [Theory]
    [InlineData("", false)]
    [InlineData("plain", false)]
    [InlineData(@"a\nb\\ud800", false)]
    [InlineData(@"\ud83d\ude00", false)]
    [InlineData(@"\uD83D\uDE00", false)]
    [InlineData(@"\u0041", false)]
    [InlineData(@"\ud83d", true)]
    [InlineData(@"\ude00", true)]
    [InlineData(@"\ud83dx", true)]
    [InlineData(@"\ud83d\n", true)]
    [InlineData(@"\ud83d\u0041", true)]
    [InlineData(@"\ud83d\ud83d\ude00", true)]
    public void Unpaired_surrogate_escapes_are_found(string raw, bool unpaired) =>
        Assert.Equal(unpaired, JsonText.HasUnpairedSurrogate(Encoding.UTF8.GetBytes(raw)));

    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("é", 1)]
    [InlineData("日本", 2)]
    [InlineData("\U0001F600x", 2)]
    public void Code_points_are_counted_the_same_from_UTF8_and_UTF16(string text, int expected)
    {
        Assert.Equal(expected, JsonText.CountCodePoints(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(expected, JsonText.CountCodePoints(text.AsSpan()));
    }
}

using Berth.Domain.Scanning.Versions;

namespace Berth.Tests.Domain.Scanning;

/// <summary>Each ecosystem's version order, as its own tools sort (expected: -1 older, 0 equal, 1 newer).</summary>
public sealed class VersionOrderTests
{
    [Theory]
    [InlineData("1.0", "1.0", 0)]
    [InlineData("1.0-1", "1.0-2", -1)]
    [InlineData("1:1.0", "2.0", 1)]
    [InlineData("0:1.0", "1.0", 0)]
    [InlineData("1.0~rc1", "1.0", -1)]
    [InlineData("1.0~~", "1.0~", -1)]
    [InlineData("1.0~", "1.0", -1)]
    [InlineData("1.0", "1.0+b1", -1)]
    [InlineData("1.0a", "1.0+", -1)]
    [InlineData("1.2.10", "1.2.9", 1)]
    [InlineData("3.0.11-1~deb12u2", "3.0.11-1~deb12u1", 1)]
    [InlineData("3.0.11-1~deb12u2", "3.0.11-1", -1)]
    [InlineData("2.36-9+deb12u4", "2.36-9+deb12u10", -1)]
    [InlineData("1.001", "1.1", 0)]
    [InlineData("1.0-0", "1.0", 0)]
    public void Dpkg(string left, string right, int expected) => Assert.Equal(expected, Math.Sign(DpkgVersion.Instance.Compare(left, right)));

    [Theory]
    [InlineData("1.2.3-r0", "1.2.3-r1", -1)]
    [InlineData("1.2.3-r10", "1.2.3-r9", 1)]
    [InlineData("1.2.3", "1.2.3-r0", 0)]
    [InlineData("1.2", "1.2.1", -1)]
    [InlineData("1.2a", "1.2", 1)]
    [InlineData("1.2a", "1.2b", -1)]
    [InlineData("1.2_rc1", "1.2", -1)]
    [InlineData("1.2_alpha", "1.2_beta", -1)]
    [InlineData("1.2_p1", "1.2", 1)]
    [InlineData("1.2_rc2", "1.2_rc10", -1)]
    [InlineData("3.1.4-r5", "3.1.4-r5", 0)]
    [InlineData("1.10", "1.9", 1)]
    [InlineData("1.2_git20230101", "1.2", 1)]
    [InlineData("1.2_rc1", "1.2.1", -1)]
    public void Apk(string left, string right, int expected) => Assert.Equal(expected, Math.Sign(ApkVersion.Instance.Compare(left, right)));

    [Theory]
    [InlineData("1.0", "1.0", 0)]
    [InlineData("1.0", "2.0", -1)]
    [InlineData("2.0.1", "2.0", 1)]
    [InlineData("2.0a", "2.0", 1)]
    [InlineData("2.0", "2.0.a", -1)]
    [InlineData("1.0a", "1.0.1", -1)]
    [InlineData("5.5p1", "5.5p10", -1)]
    [InlineData("10b2", "10a1", 1)]
    [InlineData("1.0~rc1", "1.0", -1)]
    [InlineData("1.0~rc1", "1.0~rc2", -1)]
    [InlineData("1.0^", "1.0", 1)]
    [InlineData("1.0^git1", "1.0.1", -1)]
    [InlineData("1.0-1.el9", "1.0-2.el9", -1)]
    [InlineData("1:1.0-1", "2.0-1", 1)]
    [InlineData("3.0.7-24.el9", "3.0.7-6.el9_2", 1)]
    [InlineData("1.010", "1.10", 0)]
    public void Rpm(string left, string right, int expected) => Assert.Equal(expected, Math.Sign(RpmVersion.Instance.Compare(left, right)));

    [Theory]
    [InlineData("1.0.0", "1.0.0", 0)]
    [InlineData("1.0.0", "1.0.1", -1)]
    [InlineData("1.10.0", "1.9.0", 1)]
    [InlineData("1.0.0-alpha", "1.0.0", -1)]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1", -1)]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta", -1)]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11", -1)]
    [InlineData("1.0.0-rc.1", "1.0.0", -1)]
    [InlineData("1.0.0+build.5", "1.0.0", 0)]
    [InlineData("v2.1.0", "2.1.0", 0)]
    [InlineData("4.17.20", "4.17.21", -1)]
    public void Semver(string left, string right, int expected) => Assert.Equal(expected, Math.Sign(SemanticVersion.Instance.Compare(left, right)));

    [Theory]
    [InlineData("1.0", "1.0.0", 0)]
    [InlineData("1.0.dev1", "1.0a1", -1)]
    [InlineData("1.0a1", "1.0b1", -1)]
    [InlineData("1.0b2", "1.0rc1", -1)]
    [InlineData("1.0rc1", "1.0", -1)]
    [InlineData("1.0", "1.0.post1", -1)]
    [InlineData("1.0a1.dev1", "1.0a1", -1)]
    [InlineData("1!0.1", "2.0", 1)]
    [InlineData("2.31.0", "2.32.0", -1)]
    [InlineData("1.0+local", "1.0", 0)]
    [InlineData("1.10", "1.9", 1)]
    public void Python(string left, string right, int expected) => Assert.Equal(expected, Math.Sign(PythonVersion.Instance.Compare(left, right)));
}

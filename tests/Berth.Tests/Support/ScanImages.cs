using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Berth.Tests.Support;

/// <summary>
/// Container images for the scanner's tests, written here in code: tar layers (gzip or zstd) holding real-format
/// package databases, pushed over /v2/.
/// </summary>
public static class ScanImages
{
    public const string OciGzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciZstdLayer = "application/vnd.oci.image.layer.v1.tar+zstd";

    public const string DebianOsRelease = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian
        """;

    public const string AlpineOsRelease = """
        NAME="Alpine Linux"
        ID=alpine
        VERSION_ID=3.19.1
        PRETTY_NAME="Alpine Linux v3.19"
        """;

    /// <summary>dpkg's status file as dpkg writes it: stanzas with continuation lines; one package removed but configured.</summary>
    public const string DpkgStatus = """
        Package: bash
        Essential: yes
        Status: install ok installed
        Priority: required
        Section: shells
        Installed-Size: 7164
        Maintainer: Matthias Klose <doko@debian.org>
        Architecture: amd64
        Multi-Arch: foreign
        Version: 5.2.15-2+b2
        Replaces: bash-completion (<< 20060301-0)
        Depends: base-files (>= 2.1.12), debianutils (>= 5.6-0.1)
        Description: GNU Bourne Again SHell
         Bash is an sh-compatible command language interpreter.
         .
         Bash can run most sh scripts without modification.

        Package: libssl3
        Status: install ok installed
        Priority: optional
        Section: libs
        Installed-Size: 6180
        Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
        Architecture: amd64
        Multi-Arch: same
        Source: openssl
        Version: 3.0.11-1~deb12u1
        Depends: libc6 (>= 2.34)
        Description: Secure Sockets Layer toolkit - shared libraries

        Package: oldpkg
        Status: deinstall ok config-files
        Priority: optional
        Architecture: amd64
        Version: 0.1-1
        Description: removed, only its configuration files remain

        Package: openssl
        Status: install ok installed
        Priority: optional
        Section: utils
        Architecture: amd64
        Version: 3.0.11-1~deb12u1
        Depends: libc6 (>= 2.34), libssl3 (>= 3.0.9)
        Conffiles:
         /etc/ssl/openssl.cnf 6b4ef7d2a35a8d9e4b5c9b0d4ff0a1c2
        Description: Secure Sockets Layer toolkit - cryptographic utility

        Package: zlib1g
        Status: install ok installed
        Priority: optional
        Section: libs
        Architecture: amd64
        Multi-Arch: same
        Source: zlib
        Version: 1:1.2.13.dfsg-1
        Provides: libz1
        Depends: libc6 (>= 2.14)
        Description: compression library - runtime

        """;

    /// <summary>A distroless-style status.d entry, deleted again by the upper layer's whiteout.</summary>
    public const string LeftoverStatus = """
        Package: leftover
        Version: 1.0-1
        Architecture: all
        Description: only in the lower layer

        """;

    /// <summary>apk's installed database as apk writes it.</summary>
    public const string ApkInstalled = """
        C:Q1Qk6uC0JQ1m7pX8iYVoVAZ0cBYnM=
        P:musl
        V:1.2.4-r2
        A:x86_64
        S:407180
        I:667648
        T:the musl c library (libc) implementation
        U:https://musl.libc.org/
        L:MIT
        o:musl
        m:Timo Teräs <timo.teras@iki.fi>
        t:1698142823
        c:c5c9b43ac3d8c5b0e8a8b36b27b4a5c9f3a1a8a2
        F:lib
        R:ld-musl-x86_64.so.1
        a:0:0:755
        Z:Q1qf9jt3fJr1vCQp7xMYAQTM7QeXA=

        C:Q1TUQ1Ba7OQyFFRHcbDAkvOZxTwGk=
        P:libcrypto3
        V:3.1.4-r1
        A:x86_64
        S:1719624
        I:4206592
        T:Crypto library from openssl
        U:https://www.openssl.org/
        L:Apache-2.0
        o:openssl
        m:Ariadne Conill <ariadne@dereferenced.org>
        t:1698917034
        c:b43ba12fe60acd5c5b2d8a23d9e5b2cb1c8e9b0c
        D:so:libc.musl-x86_64.so.1
        F:lib
        R:libcrypto.so.3

        C:Q1fBBz2jS0GyF3xFb0z7qg3pQb7HI=
        P:libssl3
        V:3.1.4-r1
        A:x86_64
        o:openssl
        F:lib
        R:libssl.so.3

        """;

    public const string RequestsMetadata = """
        Metadata-Version: 2.1
        Name: requests
        Version: 2.31.0
        Summary: Python HTTP for Humans.
        Home-page: https://requests.readthedocs.io

        Requests is an elegant and simple HTTP library for Python.
        Version: 9.9.9 (in the description, not a header)
        """;

    /// <summary>A tar of the given files (path → content; a null content is a directory) in order.</summary>
    public static byte[] Tar(params (string Path, string? Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in entries)
            {
                if (content is null)
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, path));
                    continue;
                }

                var entry = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A tar with one symbolic link (plus the given files).</summary>
    public static byte[] TarWithLink(string path, string target, params (string Path, string? Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (file, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content ?? string.Empty)) });
            }

            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = target });
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] tar)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return buffer.ToArray();
    }

    public static byte[] Zstd(byte[] tar)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(tar).ToArray();
    }

    /// <summary>
    /// The Debian image: a gzip layer (os-release behind a symlink, dpkg status, a status.d entry, a Python
    /// distribution) and a zstd layer (two npm modules, and a whiteout deleting status.d).
    /// </summary>
    public static (byte[] Bytes, string MediaType)[] DebianLayers() =>
    [
        (Gzip(TarWithLink(
            "etc/os-release", "../usr/lib/os-release",
            ("usr/lib/os-release", DebianOsRelease),
            ("var/lib/dpkg/status", DpkgStatus),
            ("var/lib/dpkg/status.d/leftover", LeftoverStatus),
            ("usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", RequestsMetadata))), OciGzipLayer),
        (Zstd(Tar(
            ("app/node_modules/lodash/package.json", """{"name":"lodash","version":"4.17.20","main":"lodash.js"}"""),
            ("app/node_modules/left-pad/package.json", """{"name":"left-pad","version":"1.1.0"}"""),
            ("app/node_modules/lodash/node_modules/@scope/inner/package.json", """{"name":"@scope/inner","version":"1.0.0"}"""),
            ("var/lib/dpkg/.wh.status.d", string.Empty))), OciZstdLayer),
    ];

    public static (byte[] Bytes, string MediaType)[] AlpineLayers() =>
    [
        (Gzip(Tar(("etc/os-release", AlpineOsRelease), ("lib/apk/db/installed", ApkInstalled))), OciGzipLayer),
    ];

    /// <summary>A layer with no operating system at all (a static binary's image).</summary>
    public static (byte[] Bytes, string MediaType)[] ScratchLayers() =>
    [
        (Gzip(Tar(("hello", "#!/bin/hello"))), OciGzipLayer),
    ];

    /// <summary>Pushes the layers, a config and an image manifest; answers the manifest's digest.</summary>
    public static async Task<string> PushAsync(HttpClient http, string repository, string tag, (byte[] Bytes, string MediaType)[] layers)
    {
        var pusher = new RegistryPusher(http);
        var configBytes = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\"}},\"tag\":\"{tag}\"}}");
        var config = new TestDescriptor(RegistryPusher.OciConfig, await pusher.PushBlobAsync(repository, configBytes), configBytes.Length);
        var descriptors = new List<TestDescriptor>();
        foreach (var (bytes, mediaType) in layers)
        {
            descriptors.Add(new TestDescriptor(mediaType, await pusher.PushBlobAsync(repository, bytes), bytes.Length));
        }

        return await pusher.PushManifestAsync(repository, tag, RegistryPusher.ImageManifest(config, descriptors));
    }

    /// <summary>The repository's OSV fixtures, as copied beside the tests.</summary>
    public static string OsvFixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures", "osv");
}

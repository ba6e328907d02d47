#!/usr/bin/env bash
# Builds stand-ins for the two .NET base images the Dockerfile names, for a machine that cannot pull from
# mcr.microsoft.com (air-gapped, or behind a registry allow-list) but can reach a Debian mirror:
#   localhost/berth-sdk:10.0           Debian bookworm + this machine's .NET SDK (/usr/share/dotnet or $DOTNET_ROOT)
#                                      and its local CA certificates
#   localhost/berth-runtime-deps:10.0  Debian bookworm + glibc, OpenSSL, ICU, zlib, CA certificates and an "app" user
# Then: podman build --build-arg SDK_IMAGE=localhost/berth-sdk:10.0 \
#         --build-arg RUNTIME_IMAGE=localhost/berth-runtime-deps:10.0 -t berth .
# Needs root (debootstrap), debootstrap and podman (or docker: ENGINE=docker).
set -euo pipefail

engine=${ENGINE:-podman}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
dotnet_root=${DOTNET_ROOT:-/usr/share/dotnet}
work=$(mktemp -d /tmp/berth-bases.XXXXXX)
cleanup() {
  # debootstrap mounts /proc inside the new root; unmount before removing, or rm walks the host's /proc.
  umount -l "$work/rootfs/proc" "$work/rootfs/sys" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$dotnet_root/dotnet" ] || { echo "no .NET SDK at $dotnet_root (set DOTNET_ROOT)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }

# The same libraries .NET's runtime-deps image carries; the AOT binary links everything else statically.
debootstrap --variant=minbase --include=ca-certificates,libssl3,libicu72,zlib1g,tzdata \
  bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
umount -l "$work/rootfs/proc" "$work/rootfs/sys" 2>/dev/null || true
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
tar -C "$work/rootfs" -c . | "$engine" import - localhost/berth-debian:bookworm >/dev/null

# runtime-deps: .NET's images name their unprivileged user "app" with uid 1654 and export it as APP_UID, which the
# Dockerfile's runtime stage uses.
mkdir -p "$work/runtime"
cat >"$work/runtime/Containerfile" <<'EOF'
FROM localhost/berth-debian:bookworm
RUN groupadd --gid 1654 app && useradd --uid 1654 --gid app --no-create-home --shell /usr/sbin/nologin app
ENV APP_UID=1654
EOF
"$engine" build -q -t localhost/berth-runtime-deps:10.0 "$work/runtime" >/dev/null

# sdk: the host's SDK copied in, and the host's own CA certificates (/usr/local/share/ca-certificates), so a restore
# through the site's TLS-inspecting proxy or a private NuGet feed trusts what the host trusts.
mkdir -p "$work/sdk/dotnet" "$work/sdk/ca"
cp -a "$dotnet_root/." "$work/sdk/dotnet/"
cp /usr/local/share/ca-certificates/*.crt "$work/sdk/ca/" 2>/dev/null || true
cat >"$work/sdk/Containerfile" <<'EOF'
FROM localhost/berth-debian:bookworm
COPY dotnet /usr/share/dotnet
COPY ca /usr/local/share/ca-certificates
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && update-ca-certificates >/dev/null
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
EOF
"$engine" build -q -t localhost/berth-sdk:10.0 "$work/sdk" >/dev/null

echo "built localhost/berth-sdk:10.0 and localhost/berth-runtime-deps:10.0"

# Berth as a container: the SDK stage compiles the Native AOT binary, the runtime stage is .NET's runtime-deps image
# (glibc, OpenSSL, CA certificates; no .NET runtime) holding that one file. Build: docker build -t berth .
# See docs/install.md for running it.

# Where mcr.microsoft.com is out of reach, deploy/container/local-base-images.sh builds both from a Debian mirror.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
# Native AOT links with clang; zlib and a static SQLite (libsqlite3-dev) are linked into the binary.
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang zlib1g-dev libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore first, from the project files only, so a source change does not download the packages again.
# .editorconfig carries the analyzer settings the build treats as errors; without it the publish fails.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Berth/Berth.csproj src/Berth/
RUN dotnet restore src/Berth -r linux-x64 -p:PublishAot=true
COPY src/Berth/ src/Berth/
RUN dotnet publish src/Berth -c Release -r linux-x64 -p:PublishAot=true --no-restore -o /out \
 && rm -f /out/*.dbg

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/berth /usr/local/bin/berth
# The image's unprivileged "app" user ($APP_UID) owns the data volume; Berth keeps it owner-only.
RUN mkdir -p /data && chown "$APP_UID" /data && chmod 700 /data
USER $APP_UID
VOLUME /data
ENV BERTH_DATA_DIR=/data \
    BERTH_LISTEN=http://0.0.0.0:5000
EXPOSE 5000
# The binary probes itself (no curl in the image): /health/live, or /v2/ on a build without health endpoints.
HEALTHCHECK --interval=30s --timeout=6s --start-period=10s --retries=3 CMD ["/usr/local/bin/berth", "health"]
ENTRYPOINT ["/usr/local/bin/berth"]
CMD ["serve"]

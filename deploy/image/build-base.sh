#!/usr/bin/env bash
# Builds the base image of Parley's OCI image without a container daemon or registry:
#   deploy/image/build-base.sh OUTPUT.tar
# OUTPUT.tar is a one-layer image in the `docker save` format, which Jib takes as its base
# (server/pom.xml, profile "image": from.image = tar://...). The layer holds:
#   - the few Debian packages a Java runtime needs (PACKAGES below, from this machine's apt
#     sources, extracted with dpkg-deb; their control files in /var/lib/dpkg/status.d/ so that
#     image scanners see them), and no shell, no package manager;
#   - /opt/java: a Java runtime made by jlink from the local JDK 25 (MODULES below);
#   - /etc/passwd and /etc/group with the user parley (10001), /etc/nsswitch.conf, /tmp
#     (sqlite-jdbc unpacks its native library there) and /data (owned by parley: the SQLite
#     database and attachment blobs of a single node).
# The layer is reproducible for the same packages and JDK: names sorted, times fixed, owners numeric.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: $0 OUTPUT.tar}"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
source "$root/bin/lib/java25.sh"

PACKAGES=(base-files netbase libc6 libgcc-s1)
# The Java modules of the runtime: what `jdeps --print-module-deps` finds in the server's
# classes and libraries (java.desktop for java.beans, java.instrument, java.net.http, java.rmi
# and jdk.httpserver for the metrics endpoint among them), plus what is reached only by
# reflection or service loading: java.logging, java.management, java.xml (Logback's XML
# configuration), java.security.sasl, jdk.naming.dns (Netty's and JNDI's DNS), jdk.charsets,
# jdk.zipfs. A module missing here fails deploy/image/run-unpacked.sh at start.
MODULES=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.charsets,jdk.httpserver,jdk.jfr,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs
PARLEY_UID=10001

work="$(mktemp -d "${TMPDIR:-/tmp}/parley-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs" "$work/debs" "$work/image"
chmod 755 "$work" # apt-get download runs as the user _apt where it can
if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$work/debs"; fi

echo "base image: downloading ${PACKAGES[*]}" >&2
(cd "$work/debs" && apt-get download -q "${PACKAGES[@]}" >/dev/null) \
  || { echo "apt-get download failed: run apt-get update (Debian 12 sources)" >&2; exit 1; }
mkdir -p "$rootfs/var/lib/dpkg/status.d"
for deb in "$work"/debs/*.deb; do
  name="$(dpkg-deb -f "$deb" Package)"
  dpkg-deb -x "$deb" "$rootfs"
  { dpkg-deb -f "$deb"; echo "Status: install ok installed"; } > "$rootfs/var/lib/dpkg/status.d/$name"
done
# Debian 12 ships its libraries under /usr (merged /usr); the package tarballs still name /lib*.
for dir in bin sbin lib lib64; do
  if [ -d "$rootfs/$dir" ] && [ ! -L "$rootfs/$dir" ]; then
    mkdir -p "$rootfs/usr/$dir"
    cp -a "$rootfs/$dir/." "$rootfs/usr/$dir/"
    rm -rf "${rootfs:?}/$dir"
  fi
  [ -e "$rootfs/$dir" ] || ln -s "usr/$dir" "$rootfs/$dir"
done
rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/man" "$rootfs/usr/share/info" "$rootfs/usr/share/lintian"

echo "base image: jlink $MODULES" >&2
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --output "$rootfs/opt/java"

cat > "$rootfs/etc/passwd" <<EOF
root:x:0:0:root:/root:/usr/sbin/nologin
parley:x:$PARLEY_UID:$PARLEY_UID:Parley:/data:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat > "$rootfs/etc/group" <<EOF
root:x:0:
parley:x:$PARLEY_UID:
nogroup:x:65534:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
mkdir -p "$rootfs/tmp" "$rootfs/data" "$rootfs/root"
chmod 1777 "$rootfs/tmp"
chmod 0750 "$rootfs/data"

echo "base image: packing" >&2
layer="$work/image/layer.tar"
tar_options=(--sort=name --mtime=@0 --numeric-owner --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
tar -C "$rootfs" "${tar_options[@]}" --owner=0 --group=0 --exclude=./data -cf "$layer" .
tar -C "$rootfs" "${tar_options[@]}" --owner="$PARLEY_UID" --group="$PARLEY_UID" -rf "$layer" ./data
diff_id="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"
mv "$layer" "$work/image/${diff_id#sha256:}.tar"
debian="$(sed -n 's/^VERSION_ID="\(.*\)"/\1/p' "$rootfs/etc/os-release")"
java_version="$("$rootfs/opt/java/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
cat > "$work/image/config.json" <<EOF
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],
           "User":"$PARLEY_UID:$PARLEY_UID","WorkingDir":"/data",
           "Labels":{"org.opencontainers.image.description":"Parley base: Debian $debian packages ${PACKAGES[*]} and a jlink'd Java $java_version"}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/build-base.sh"}]}
EOF
config_id="$(sha256sum "$work/image/config.json" | cut -d' ' -f1)"
mv "$work/image/config.json" "$work/image/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["parley-base:local"],"Layers":["%s.tar"]}]\n' \
  "$config_id" "${diff_id#sha256:}" > "$work/image/manifest.json"
# Entries named without "./" and no directory entry: Jib refuses an archive entry "./".
tar -C "$work/image" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -cf "$out" \
  manifest.json "$config_id.json" "${diff_id#sha256:}.tar"
echo "base image: $out ($(du -h "$out" | cut -f1); Debian $debian, Java $java_version)" >&2

#!/usr/bin/env bash
# Runs Parley's OCI image without a container engine, to check it on a machine that has none:
#   deploy/image/run-unpacked.sh server/target/parley-image.tar [SERVER-OPTIONS...]
# Unpacks the image's layers in order into a fresh folder, then starts the image's entrypoint
# there under chroot, as the image's user, with the image's environment and working directory,
# in new mount and PID namespaces (unshare) with /proc and /dev mounted. Needs root (chroot,
# mounts) and jq. The server listens on this machine's network (no network namespace): give it
# --port/--metrics-port as needed. Ctrl-C or SIGTERM to this script goes to the server (it drains
# and exits); the script exits with the server's status.
set -euo pipefail
image="${1:?usage: $0 IMAGE.tar [SERVER-OPTIONS...]}"
shift
command -v jq >/dev/null || { echo "needs jq (apt-get install jq)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (chroot, mounts)" >&2; exit 1; }

dir="$(mktemp -d "${TMPDIR:-/tmp}/parley-image.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/oci" "$dir/rootfs"
tar -xf "$image" -C "$dir/oci"
blob() { echo "$dir/oci/blobs/${1/://}"; }
manifest="$(blob "$(jq -r '.manifests[0].digest' "$dir/oci/index.json")")"
config="$(blob "$(jq -r '.config.digest' "$manifest")")"
for layer in $(jq -r '.layers[].digest' "$manifest"); do
  # Layers are applied in order; an OCI whiteout (.wh.NAME) would remove NAME. Jib writes none
  # over this base, and this check says so rather than unpacking a wrong tree.
  if tar -tzf "$(blob "$layer")" --warning=no-unknown-keyword | grep -q '\.wh\.'; then
    echo "layer $layer has whiteouts: not handled here" >&2
    exit 1
  fi
  tar -xzf "$(blob "$layer")" -C "$dir/rootfs" --same-owner --numeric-owner --warning=no-unknown-keyword
done

mapfile -t entrypoint < <(jq -r '(.config.Entrypoint // []) + (.config.Cmd // []) | .[]' "$config")
mapfile -t environment < <(jq -r '.config.Env // [] | .[]' "$config")
user="$(jq -r '.config.User // "0:0"' "$config")"
workdir="$(jq -r '.config.WorkingDir // "/"' "$config")"
echo "image: entrypoint ${entrypoint[*]}; user $user; working directory $workdir" >&2

mkdir -p "$dir/rootfs/proc" "$dir/rootfs/dev"
cp /etc/resolv.conf "$dir/rootfs/etc/resolv.conf" 2>/dev/null || true
# In new mount and PID namespaces (the mounts go when the server exits): mount /proc and /dev,
# then chroot, change to the working directory, drop to the image's user and exec the
# entrypoint with exactly the image's environment (Python's os module: GNU chroot cannot
# change to a working directory after the chroot).
unshare --mount --pid --fork sh -c 'mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" && shift && exec "$@"' \
  sh "$dir/rootfs" python3 -c '
import json, os, sys
root, user, workdir, config = sys.argv[1:5]
command = sys.argv[5:]
env = dict(e.split("=", 1) for e in json.load(open(config))["config"].get("Env", []))
uid, _, gid = user.partition(":")
os.chroot(root)
os.chdir(workdir)
os.setgroups([])
os.setgid(int(gid or uid))
os.setuid(int(uid))
os.execvpe(command[0], command, env)
' "$dir/rootfs" "$user" "$workdir" "$config" "${entrypoint[@]}" "$@" &
namespace=$!
# SIGTERM or Ctrl-C here goes to the server (the namespace's first process), as "docker stop" does.
trap 'kill -TERM $(pgrep -P "$namespace") 2>/dev/null || true' TERM INT
status=0
while kill -0 "$namespace" 2>/dev/null; do
  wait "$namespace" && status=0 || status=$?
done
echo "image: the server exited with status $status" >&2
exit "$status"

#!/usr/bin/env bash
# Makes the images' base: a minimal Debian bookworm root filesystem (debootstrap --variant=minbase), imported as
# a Docker image. Why not FROM debian:bookworm: Docker Hub is not reachable from every build machine (it is not
# from ours), Debian's mirror is. Needs root, debootstrap and a running Docker engine.
#   docker/make-base.sh [TAG]            (default d2l-debian:bookworm)
# D2L_DEBIAN_MIRROR picks the mirror (default http://deb.debian.org/debian).
set -euo pipefail
tag="${1:-d2l-debian:bookworm}"
mirror="${D2L_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
command -v debootstrap >/dev/null || { echo "make-base: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "make-base: debootstrap needs root" >&2; exit 1; }
work="$(mktemp -d /var/tmp/d2l-rootfs.XXXXXX)"
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
# security and point-release updates for the JRE and libc installed on top; plain http like the host's apt: the
# images must not need the build machine's TLS setup (its proxy CA) to install packages
cat > "$work/rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
# what Docker's official Debian images do: no package cache, no docs/man pages from later installs
cat > "$work/rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
APT
cat > "$work/rootfs/etc/dpkg/dpkg.cfg.d/docker-nodoc" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
DPKG
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/log/"*.log
tar -C "$work/rootfs" --numeric-owner -c . \
  | docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["/bin/bash"]' \
      -m "debootstrap --variant=minbase bookworm $mirror" - "$tag" >/dev/null
echo "make-base: $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"

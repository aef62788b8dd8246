#!/usr/bin/env bash
# Builds the container image's base, offline: a Java runtime made by jlink from the JDK that runs the build,
# the C libraries it needs copied from the build machine's own Debian packages (checked against dpkg's
# checksums), a passwd entry for the unprivileged user, /tmp and the /data volume. The result is OUT/base.tar
# in `docker save` form, which Jib takes as its base image (tar://), so no registry is ever contacted.
#
#   bin/image-base.sh JAVA_HOME OUT
#
# Needs: a Debian-family Linux (dpkg), GNU tar, sha256sum. Same build machine and JDK, same bytes: every
# file's time is fixed and the archive's order sorted.
set -euo pipefail
java_home="$1"
out="$2"

# the JDK modules the program uses (java.sql brings java.xml, java.logging, java.transaction.xa): JDBC and
# Jetty, JNDI for logback and pgjdbc, java.net.http for the platform clients, the management beans behind the
# JVM and process metrics, JGSS that pgjdbc may reach for, Unsafe that some libraries use. Found with jdeps
# and the imports of src/main; the image test runs the server on this runtime, so a missing one fails it.
modules=java.base,java.sql,java.naming,java.net.http,java.management,jdk.management,java.security.jgss,jdk.unsupported
# the EC algorithms of TLS live in jdk.crypto.ec up to JDK 21 and in java.base after, where the module is gone
if "$java_home/bin/java" --list-modules | grep -q '^jdk\.crypto\.ec@'; then modules="$modules,jdk.crypto.ec"; fi

# the C libraries: glibc (with its loader and NSS), libgcc_s (glibc loads it to unwind threads) and zlib (a
# JDK built against the system's zlib needs it)
packages=(libc6 libgcc-s1 zlib1g)
uid=10001

rm -rf "$out"
mkdir -p "$out"
root="$out/rootfs"
mkdir -p "$root"

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$root/opt/java"

arch="$(dpkg --print-architecture)"
for p in "${packages[@]}"; do
  pkg="$p:$arch"
  # dpkg --verify prints a line for every installed file whose checksum no longer matches the package
  changed="$(dpkg --verify "$pkg" | grep -v ' c /' || true)"
  if [ -n "$changed" ]; then
    echo "image-base: files of $pkg differ from the package:" >&2
    echo "$changed" >&2
    exit 1
  fi
  # only the shared libraries (and the loader's links), not the package's tools, locales or docs
  dpkg -L "$pkg" | grep -E '^/(usr/)?lib(64|32|x32)?/.*\.so(\.[0-9]+)*$' | grep -v '/gconv/' | while read -r f; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    mkdir -p "$root$(dirname "$f")"
    cp -a "$f" "$root$f"
  done
  dpkg-query -W -f '${Package} ${Version} ${Architecture}\n' "$pkg" >> "$root/opt/java/base-packages.txt"
done
"$java_home/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java\.runtime\.version = /java runtime /p' >> "$root/opt/java/base-packages.txt"

mkdir -p "$root/etc" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" "$root/data"
chmod 1777 "$root/tmp"
chmod 0700 "$root/data"
printf 'root:x:0:0:root:/root:/nonexistent\ntouchpoint:x:%s:%s:Touchpoint:/data:/nonexistent\n' "$uid" "$uid" \
  > "$root/etc/passwd"
printf 'root:x:0:\ntouchpoint:x:%s:\n' "$uid" > "$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"

# one layer: everything owned by root except /data, which belongs to the unprivileged user (a named volume
# starts as a copy of it); GNU tar sets owners per archive, so /data is archived apart and appended
tarflags=(--format=gnu --sort=name --mtime=@1 --numeric-owner)
(cd "$root" && tar "${tarflags[@]}" --owner=0 --group=0 --exclude=./data -cf "$out/layer.tar" ./*)
(cd "$root" && tar "${tarflags[@]}" --owner="$uid" --group="$uid" --no-recursion -cf "$out/data.tar" ./data)
tar -A -f "$out/layer.tar" "$out/data.tar"
rm "$out/data.tar"
diff_id="sha256:$(sha256sum "$out/layer.tar" | cut -d' ' -f1)"

case "$arch" in
  amd64|arm64|ppc64el|s390x|riscv64) oci_arch="${arch/ppc64el/ppc64le}" ;;
  *) echo "image-base: no image architecture for $arch" >&2; exit 1 ;;
esac

# The health check lives in the base because Jib cannot set one but keeps the base's (the image test checks
# that it is there): `touchpoint healthcheck` asks the server's /healthz over loopback.
cat > "$out/config.json" <<EOF
{"architecture":"$oci_arch","os":"linux","created":"1970-01-01T00:00:01Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],
  "Healthcheck":{"Test":["CMD","/opt/java/bin/java","-XX:TieredStopAtLevel=1","-XX:+UseSerialGC","-XX:-UsePerfData","-cp","@/app/jib-classpath-file","io.touchpoint.server.cli.Main","healthcheck"],
   "Interval":30000000000,"Timeout":10000000000,"StartPeriod":60000000000,"Retries":3}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:01Z","created_by":"bin/image-base.sh: jlink runtime, Debian ${packages[*]}"}]}
EOF
printf '[{"Config":"config.json","RepoTags":["touchpoint-base:local"],"Layers":["layer.tar"]}]\n' > "$out/manifest.json"
(cd "$out" && tar "${tarflags[@]}" --owner=0 --group=0 -cf base.tar manifest.json config.json layer.tar)
echo "image-base: $out/base.tar ($(du -h "$out/base.tar" | cut -f1), $modules)"

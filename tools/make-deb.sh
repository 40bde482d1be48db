#!/usr/bin/env bash
# make deb: builds build/deb/lsu_VERSION_ARCH.deb from this tree, the way a
# Debian package lays lsu out (binary in /usr/bin, man pages, docs with a
# DEP-5 copyright and a Debian changelog, bash completion), with the
# dependencies dpkg-shlibdeps finds in the binary, then runs lintian on it
# when lintian is installed (errors fail the target).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^#define LSU_VERSION "\(.*\)"/\1/p' src/lsu.h)
arch=$(dpkg --print-architecture)
work=build/deb
stage=$work/lsu_${version}_$arch
rm -rf "$work"
mkdir -p "$stage"
make -s install DESTDIR="$PWD/$stage" PREFIX=/usr >/dev/null
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$stage/usr/bin/lsu"
doc=$stage/usr/share/doc/lsu
# Debian's documentation rules: the licence is in copyright, files of more
# than 4 KB are compressed, man pages always
rm -f "$doc/LICENSE"
for f in "$doc"/*.md; do [ "$(stat -c %s "$f")" -gt 4096 ] && gzip -9n "$f"; done
[ -d "$stage/usr/share/man/man1" ] && gzip -9n "$stage"/usr/share/man/man1/*.1
date=$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")
cat >"$doc/changelog.Debian" <<CHANGELOG
lsu ($version) unstable; urgency=medium

  * Package of lsu $version, built by make deb; see changelog.gz for the
    changes.

 -- lsu developers <lsu@example.org>  $date
CHANGELOG
gzip -9n "$doc/changelog.Debian"
cp CHANGELOG.md "$doc/changelog" && gzip -9nf "$doc/changelog"
rm -f "$doc/CHANGELOG.md" "$doc/CHANGELOG.md.gz"
cat >"$doc/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: lsu
Source: https://example.org/lsu

Files: *
Copyright: 2026 lsu developers
License: GPL-3+
 This program is free software: you can redistribute it and/or modify
 it under the terms of the GNU General Public License as published by
 the Free Software Foundation, either version 3 of the License, or
 (at your option) any later version.
 .
 This program is distributed in the hope that it will be useful,
 but WITHOUT ANY WARRANTY; without even the implied warranty of
 MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 GNU General Public License for more details.
 .
 On Debian systems, the complete text of the GNU General Public
 License version 3 can be found in /usr/share/common-licenses/GPL-3.
COPYRIGHT
# dpkg-shlibdeps reads a debian/control: give it a minimal one
mkdir -p "$work/src/debian"
printf 'Source: lsu\n\nPackage: lsu\nArchitecture: any\n' >"$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O "$OLDPWD/$stage/usr/bin/lsu" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
# lsu serve loads libmicrohttpd itself (dlopen, src/serve/mhd.c): shlibdeps cannot see it
depends="${depends:+$depends, }libmicrohttpd12"
mkdir -p "$stage/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: lsu
Version: $version
Architecture: $arch
Maintainer: lsu developers <lsu@example.org>
Installed-Size: $size
Depends: $depends
Recommends: fonts-dejavu-core
Section: education
Priority: optional
Homepage: https://example.org/lsu
Description: checks and prints Livret Scolaire Unique exports of écoles
 lsu does, as a batch pipeline, what the French national Livret Scolaire
 Unique (LSU) application does with the XML exports of tracking software
 for primary schools: it validates them against the LSU import schema,
 sorts every problem into alerts and blocking errors, writes LSU's
 execution report in HTML, JSON and CSV, and prints the pupils' PDF
 bilans zipped per class. It keeps each school's settings in a SQLite
 store and runs the nightly batch of an académie.
CONTROL
(cd "$stage" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
find "$stage" -type d -exec chmod 755 {} +
deb=$work/lsu_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
if command -v lintian >/dev/null; then
  lintian --fail-on error "$deb"
fi

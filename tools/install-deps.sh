#!/usr/bin/env bash
# Installs the Debian 12 packages lsu needs to build, test and benchmark,
# when they are missing.  Runs apt-get as root (or through sudo).
set -euo pipefail
packages=(
  build-essential pkg-config
  libxml2-dev libxslt1-dev            # parse, validate, transform
  libhpdf-dev libzip-dev nettle-dev   # PDF bilans, zips, SHA-256 of the manifests
  libcsv-dev                          # ONDE extractions and teachers lists
  libxlsxwriter-dev xlsx2csv          # the .xlsx template of lsu template; the tests read it back as CSV
  fonts-dejavu-core                   # the Unicode font embedded when a text needs it
  qpdf poppler-utils unzip            # the PDF tests check, read and render what lsu writes
  libjemalloc-dev                     # the allocator lsu links (Makefile MALLOC)
  libsqlite3-dev sqlite3              # the school's store (lsu sync, import, lock…); tests read it
  libxml2-utils xsltproc              # tests and benchmarks compare with them
  time bc                             # peak memory in the tests, benchmarks
  jq                                  # the tests parse every JSON report lsu writes
  parallel                            # lsu batch over several slots or hosts (contrib/parallel, tests)
  clang                               # fuzz target (libFuzzer)
  valgrind                            # make valgrind (CI runs the pipeline's cases under it)
  clang-format clang-tidy cppcheck    # make format-check, make lint
  dpkg-dev lintian                    # make deb (the Debian package) and its test
  libmicrohttpd-dev libsodium-dev     # lsu serve: the HTTP server, Argon2id passwords and session tokens
  chromium curl                       # the web suite drives Debian's chromium (playwright-core) and curl
)
# the web suite's playwright-core runs on Node (>= 18: Debian 12's nodejs is
# 18.20); a machine that has a node already (NodeSource) keeps it
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "Installation des paquets manquants : ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

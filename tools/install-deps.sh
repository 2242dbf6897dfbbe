#!/usr/bin/env bash
# Installs the Debian bookworm packages tollguard needs, only those missing. Idempotent.
# Usage: tools/install-deps.sh [--e2e] [--fuzz] [--all]
set -euo pipefail
PKGS=(cmake ninja-build g++ pkg-config make tzdata
      libabsl-dev libre2-dev libprotobuf-dev protobuf-compiler
      libgtest-dev libgmock-dev libbenchmark-dev
      pybind11-dev python3-dev python3-numpy python3-pandas python3-pytest
      python3-phonenumbers libphonenumber-dev binutils file
      redis-server libhiredis-dev)
for a in "$@"; do
  case "$a" in
    --e2e|--all) PKGS+=(kamailio kamailio-python3-modules sip-tester procps) ;;&
    --fuzz|--all) PKGS+=(clang-14 libclang-rt-14-dev) ;;&
    --all) PKGS+=(abigail-tools valgrind python3-matplotlib) ;;
  esac
done
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then echo "install-deps: all packages present"; exit 0; fi
echo "install-deps: installing ${missing[*]}"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

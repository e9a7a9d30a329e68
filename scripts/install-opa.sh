#!/usr/bin/env bash
# Install the pinned Open Policy Agent and print the path of the binary.
#
# Order: 1) an `opa` of the pinned version on PATH or in the
# user cache; 2) `go install` into the cache; 3) the official release binary,
# checked against its published sha256.  Everything goes to a cache outside
# the repository so a fresh clone reuses it.
set -euo pipefail

OPA_VERSION="${OPA_VERSION:-$(tr -d '[:space:]' < "$(dirname "$0")/../governance/engine/opa-version.txt")}"
CACHE="${GOVERN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/govern}/opa/${OPA_VERSION}"
BIN="$CACHE/opa"

has_version() {  # $1 = candidate binary
  # capture first: with pipefail, `opa version | grep -q` fails whenever grep exits before
  # opa has written its last line (SIGPIPE), which made a fresh CI run rebuild OPA and give up
  local out
  [ -x "$1" ] && out="$("$1" version 2>/dev/null)" && grep -qx "Version: ${OPA_VERSION}" <<<"$out"
}

log() { echo "install-opa: $*" >&2; }

# 1. already there?
if has_version "$BIN"; then echo "$BIN"; exit 0; fi
if command -v opa >/dev/null 2>&1 && has_version "$(command -v opa)"; then
  command -v opa; exit 0
fi

mkdir -p "$CACHE"
errors=()

# 2. build it with the Go toolchain through the module proxy.
if command -v go >/dev/null 2>&1; then
  log "building OPA v${OPA_VERSION} with go install (a few minutes on 2 cores)…"
  if GOBIN="$CACHE" GOFLAGS=-mod=mod go install "github.com/open-policy-agent/opa@v${OPA_VERSION}" >&2; then
    if has_version "$BIN"; then echo "$BIN"; exit 0; fi
    errors+=("go install finished but $BIN does not report version ${OPA_VERSION}")
  else
    errors+=("go install github.com/open-policy-agent/opa@v${OPA_VERSION} failed")
  fi
else
  errors+=("no Go toolchain on PATH")
fi

# 3. the official release binary, verified against its sha256 file.
case "$(uname -s)_$(uname -m)" in
  Linux_x86_64)  asset=opa_linux_amd64_static ;;
  Linux_aarch64) asset=opa_linux_arm64_static ;;
  Darwin_x86_64) asset=opa_darwin_amd64 ;;
  Darwin_arm64)  asset=opa_darwin_arm64_static ;;
  *) asset="" ;;
esac
if [ -n "$asset" ] && command -v curl >/dev/null 2>&1; then
  base="https://github.com/open-policy-agent/opa/releases/download/v${OPA_VERSION}"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  if curl -fsSL --retry 2 -o "$tmp/opa" "$base/$asset" && \
     curl -fsSL --retry 2 -o "$tmp/opa.sha256" "$base/$asset.sha256"; then
    want="$(awk '{print $1}' "$tmp/opa.sha256")"
    got="$( (sha256sum "$tmp/opa" 2>/dev/null || shasum -a 256 "$tmp/opa") | awk '{print $1}')"
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
      install -m 0755 "$tmp/opa" "$BIN"
      if has_version "$BIN"; then echo "$BIN"; exit 0; fi
      errors+=("downloaded binary does not report version ${OPA_VERSION}")
    else
      errors+=("sha256 mismatch for $asset: expected $want, got $got")
    fi
  else
    errors+=("download of $base/$asset failed")
  fi
else
  errors+=("no release binary route for $(uname -s)/$(uname -m) or no curl")
fi

log "could not install OPA v${OPA_VERSION}:"
for e in "${errors[@]}"; do log "  - $e"; done
exit 1

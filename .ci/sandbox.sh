# Makes sure the OS sandbox of sandboxed fitness plugins can be tested: installs Debian's bubblewrap
# (bwrap) with apt-get when it is missing, and checks that it works here. Sourced by ./nexus test.
# Sets NEXUS_TEST_SANDBOX=required when bwrap runs a program in its own namespaces, so the escape suite
# never silently skips the OS layer; otherwise leaves it "auto" and says why.

nexus_sandbox_prepare() {
  NEXUS_TEST_SANDBOX=auto
  if ! command -v bwrap >/dev/null 2>&1; then
    echo "nexus: bubblewrap not installed; installing it with apt-get (the sandbox tests need it)" >&2
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap >&2 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap >&2; }
    else
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap >&2 \
        || { sudo DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap >&2; }
    fi
  fi
  if command -v bwrap >/dev/null 2>&1 \
      && bwrap --unshare-all --die-with-parent --ro-bind / / --proc /proc --dev /dev true >/dev/null 2>&1; then
    NEXUS_TEST_SANDBOX=required
  else
    echo "nexus: bwrap cannot create namespaces here; the OS-sandbox tests will be skipped" >&2
  fi
}

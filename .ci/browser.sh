# Makes sure the web console's browser tests have a real browser: installs Debian's chromium with
# apt-get when it is missing (never a downloaded browser). Sourced by ./nexus test.
# Exports NEXUS_TEST_CHROMIUM, the binary the tests drive over the Chrome DevTools protocol; the tests
# fail with a clear message (they never skip) when it cannot start.

nexus_browser_prepare() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "nexus: chromium not installed; installing Debian's chromium with apt-get (the console tests need it)" >&2
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2; }
    else
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2 \
        || { sudo DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
             && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2; }
    fi
  fi
  NEXUS_TEST_CHROMIUM=$(command -v chromium || echo /usr/bin/chromium)
  export NEXUS_TEST_CHROMIUM
}

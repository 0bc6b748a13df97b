# shellcheck shell=bash
# Fetches Debian packages of another suite (trixie, sid, ...) without installing them: apt runs with its own
# sources list and state under the build folder, the archive URI is taken from this system's apt configuration.

BEESTING_BUILD_DIR="${BEESTING_BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.build}"

# Prints the first Debian archive URI configured on this system (deb822 or one-line format).
beesting::debian_uri() {
    local uri=""
    if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
        uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    fi
    if [[ -z "$uri" && -r /etc/apt/sources.list ]]; then
        uri=$(awk '/^deb / && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list)
    fi
    [[ -n "$uri" ]] || { echo "hack: no Debian archive URI in /etc/apt" >&2; return 1; }
    echo "$uri"
}

# apt-get with a private sources list and state for SUITE; updated at most once a day.
beesting::apt_suite() {
    local suite=$1
    shift
    local dir="$BEESTING_BUILD_DIR/apt/$suite"
    local opts=(
        -o "Dir::Etc::SourceList=$dir/sources.list" -o "Dir::Etc::SourceParts=$dir/parts"
        -o "Dir::State=$dir/state" -o "Dir::State::status=$dir/state/status"
        -o "Dir::Cache=$dir/cache" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
    )
    if [[ ! -f "$dir/sources.list" ]] || [[ -n $(find "$dir/state/updated" -mmin +1440 2>/dev/null) ]] \
        || [[ ! -f "$dir/state/updated" ]]; then
        mkdir -p "$dir/parts" "$dir/state/lists/partial" "$dir/cache/archives/partial"
        : >"$dir/state/status"
        echo "deb $(beesting::debian_uri) $suite main" >"$dir/sources.list"
        apt-get "${opts[@]}" -qq update >&2
        touch "$dir/state/updated"
    fi
    apt-get "${opts[@]}" "$@"
}

# Downloads PACKAGE from SUITE (cached) and unpacks it; prints the unpacked root.
beesting::unpack_deb() {
    local suite=$1 pkg=$2
    local debs="$BEESTING_BUILD_DIR/debs/$suite" root="$BEESTING_BUILD_DIR/root/$suite/$pkg"
    if [[ ! -f "$root/.unpacked" ]]; then
        mkdir -p "$debs" "$root"
        if ! compgen -G "$debs/${pkg}_*.deb" >/dev/null; then
            (cd "$debs" && beesting::apt_suite "$suite" -qq download "$pkg" >&2)
        fi
        local deb
        deb=$(ls -t "$debs/${pkg}"_*.deb | head -1)
        dpkg-deb -x "$deb" "$root"
        basename "$deb" >"$root/.unpacked"
    fi
    echo "$root"
}

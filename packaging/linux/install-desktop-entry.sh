#!/usr/bin/env bash
# Install (or remove) the Rejection Journal menu entry, icons and AppStream
# metainfo for the current user, so the app shows up in the desktop's
# application menu with its icon.
#
#   packaging/linux/install-desktop-entry.sh              # install / refresh
#   packaging/linux/install-desktop-entry.sh --uninstall  # remove again
#   packaging/linux/install-desktop-entry.sh --exec /path/to/rejection-journal
#
# Files go under ${XDG_DATA_HOME:-~/.local/share}. Nothing needs root.
# Running it twice is harmless: files are simply overwritten with the same content.
#
# The menu entry launches the `rejection-journal` command that `pip install`
# (or pipx) created. By default the script looks it up on PATH and writes its
# absolute path into the entry, because the desktop session's PATH often lacks
# ~/.local/bin. Use --exec to point at something else, e.g. a PyInstaller build
# (dist/rejection-journal/rejection-journal).

set -euo pipefail

APP_ID="org.rejectionjournal.RejectionJournal"
LAUNCHER="rejection-journal"
SIZES=(16 24 32 48 64 128 256 512)

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
RESOURCES=""
if [ -d "$SCRIPT_DIR/../../resources" ]; then
    RESOURCES="$(cd -- "$SCRIPT_DIR/../../resources" && pwd)"
fi

DATA_HOME="${XDG_DATA_HOME:-${HOME:?HOME is not set}/.local/share}"
APPS_DIR="$DATA_HOME/applications"
ICON_THEME_DIR="$DATA_HOME/icons/hicolor"
METAINFO_DIR="$DATA_HOME/metainfo"

DESKTOP_DEST="$APPS_DIR/$APP_ID.desktop"
METAINFO_DEST="$METAINFO_DIR/$APP_ID.metainfo.xml"
SVG_DEST="$ICON_THEME_DIR/scalable/apps/$APP_ID.svg"

usage() {
    cat <<USAGE
Usage: $(basename "$0") [--exec PATH] [--uninstall] [--help]

Install the Rejection Journal desktop entry, icons and metainfo into
$DATA_HOME (from \$XDG_DATA_HOME, or ~/.local/share).

  --exec PATH    launch PATH instead of the '$LAUNCHER' found on PATH
  --uninstall    remove everything this script installs
  -h, --help     show this help
USAGE
}

say() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$APPS_DIR" ]; then
        update-desktop-database -q "$APPS_DIR" || warn "update-desktop-database failed (harmless)"
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$ICON_THEME_DIR" ]; then
        # -t: a user's hicolor folder normally has no index.theme of its own.
        gtk-update-icon-cache -q -f -t "$ICON_THEME_DIR" || warn "gtk-update-icon-cache failed (harmless)"
    fi
}

# Quote a path for the Exec key (Desktop Entry Specification, "The Exec key"):
# arguments with reserved characters go in double quotes, with " ` $ \ escaped
# by a backslash; then the whole value gets the general string escaping, which
# doubles every backslash. A literal % is written %%.
desktop_exec_arg() {
    local arg="$1"
    if [[ "$arg" =~ ^[A-Za-z0-9_./+:@,-]+$ ]]; then
        printf '%s' "$arg"
        return
    fi
    arg="${arg//\\/\\\\}"
    arg="${arg//\"/\\\"}"
    arg="${arg//\`/\\\`}"
    arg="${arg//\$/\\\$}"
    arg="\"$arg\""
    arg="${arg//\\/\\\\}"
    # A literal % in Exec is written %% (field codes start with %).
    printf '%s' "${arg//%/%%}"
}

# Escape a plain string value (used for TryExec).
desktop_string() {
    local s="$1"
    s="${s//\\/\\\\}"
    printf '%s' "$s"
}

uninstall() {
    local removed=0 f
    for f in "$DESKTOP_DEST" "$METAINFO_DEST" "$SVG_DEST"; do
        if [ -e "$f" ]; then rm -f -- "$f"; say "removed $f"; removed=1; fi
    done
    for size in "${SIZES[@]}"; do
        f="$ICON_THEME_DIR/${size}x${size}/apps/$APP_ID.png"
        if [ -e "$f" ]; then rm -f -- "$f"; say "removed $f"; removed=1; fi
    done
    [ "$removed" = 1 ] || say "nothing to remove under $DATA_HOME"
    refresh_caches
}

install_all() {
    local exec_path="$1"
    if [ -z "$RESOURCES" ] || [ ! -f "$RESOURCES/$APP_ID.desktop" ]; then
        die "cannot find the resources/ folder next to packaging/; run this from a source checkout"
    fi

    local src_desktop="$RESOURCES/$APP_ID.desktop"
    local src_metainfo="$RESOURCES/$APP_ID.metainfo.xml"
    local src_svg="$RESOURCES/icons/$APP_ID.svg"

    if [ -z "$exec_path" ]; then
        if exec_path="$(command -v "$LAUNCHER" 2>/dev/null)" && [ -n "$exec_path" ]; then
            :
        else
            exec_path=""
            warn "'$LAUNCHER' is not on PATH; the menu entry will run '$LAUNCHER' and stay"
            warn "hidden until it exists (pip install ., or pass --exec PATH)"
        fi
    fi
    if [ -n "$exec_path" ]; then
        case "$exec_path" in
            /*) ;;
            *) exec_path="$(cd -- "$(dirname -- "$exec_path")" && pwd)/$(basename -- "$exec_path")" ;;
        esac
        [ -x "$exec_path" ] || warn "$exec_path is not an executable file (yet)"
        case "$exec_path" in
            *%*) warn "the path contains '%'; it is escaped as the spec says, but GLib-based" \
                "menus check TryExec/Exec literally and may hide the entry" ;;
        esac
    fi

    mkdir -p -- "$APPS_DIR" "$METAINFO_DIR" "$(dirname -- "$SVG_DEST")"

    # Desktop entry: same file as in resources/, with Exec/TryExec made absolute.
    local tmp
    tmp="$(mktemp "$APPS_DIR/.$APP_ID.XXXXXX")"
    trap 'rm -f -- "$tmp"' EXIT
    if [ -n "$exec_path" ]; then
        local exec_value tryexec_value
        exec_value="$(desktop_exec_arg "$exec_path")"
        tryexec_value="$(desktop_string "$exec_path")"
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in
                Exec=*) printf 'Exec=%s\n' "$exec_value" ;;
                TryExec=*) printf 'TryExec=%s\n' "$tryexec_value" ;;
                *) printf '%s\n' "$line" ;;
            esac
        done <"$src_desktop" >"$tmp"
    else
        cat -- "$src_desktop" >"$tmp"
    fi
    chmod 644 -- "$tmp"
    mv -f -- "$tmp" "$DESKTOP_DEST"
    trap - EXIT
    say "installed $DESKTOP_DEST"

    if command -v desktop-file-validate >/dev/null 2>&1; then
        desktop-file-validate "$DESKTOP_DEST" || warn "desktop-file-validate reported problems"
    fi

    install -m 644 -- "$src_metainfo" "$METAINFO_DEST"
    say "installed $METAINFO_DEST"

    install -m 644 -- "$src_svg" "$SVG_DEST"
    say "installed $SVG_DEST"

    local size src dest
    for size in "${SIZES[@]}"; do
        src="$RESOURCES/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
        dest="$ICON_THEME_DIR/${size}x${size}/apps/$APP_ID.png"
        if [ -f "$src" ]; then
            mkdir -p -- "$(dirname -- "$dest")"
            install -m 644 -- "$src" "$dest"
            say "installed $dest"
        else
            warn "missing $src (run: python resources/make_icons.py)"
        fi
    done

    refresh_caches
    say "Done. Rejection Journal should now appear in your application menu"
    say "(some desktops only notice new entries after you log out and back in)."
}

main() {
    local mode=install exec_path=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --uninstall) mode=uninstall ;;
            --exec)
                [ $# -ge 2 ] || die "--exec needs a path"
                exec_path="$2"
                shift
                ;;
            --exec=*) exec_path="${1#--exec=}" ;;
            -h | --help) usage; exit 0 ;;
            *) usage >&2; die "unknown option: $1" ;;
        esac
        shift
    done

    if [ "$mode" = uninstall ]; then
        uninstall
    else
        install_all "$exec_path"
    fi
}

main "$@"

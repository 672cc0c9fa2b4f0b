"""The .deb: built by `make package`, inspected, unpacked with dpkg -x, and started.

Slow (PyInstaller, then xz over ~160 MB: a few minutes on 2 cores), so marked `package` and
left out of `make test`; `make package-test` (and CI, after `make test`) runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from rejection_journal import APP_ID, __version__

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "opt/rejection-journal"
#: An offscreen Qt platform limitation, printed by every offscreen start (also from source).
HARMLESS_STDERR = {"This plugin does not support propagateSizeHints()"}


def need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"needs {tool} (apt: {package}; .ci/run installs it)")
    return path


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need("dpkg-deb", "dpkg")
    need("dpkg-shlibdeps", "dpkg-dev")
    need("objdump", "binutils")
    # Exactly the README's command, in a clean copy of the checkout (the files git tracks,
    # as they are now): its own .venv, and dist/ and build/ relative to it, as a user has them.
    work = tmp_path_factory.mktemp("package") / "checkout"
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file():  # (a file deleted in the working tree is not in the copy)
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name, follow_symlinks=False)
    subprocess.run(["make", "package"], cwd=work, check=True, timeout=1800,
                   stdin=subprocess.DEVNULL)
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    path = work / "dist" / f"rejection-journal_{__version__}_{arch}.deb"
    assert path.is_file(), sorted(p.name for p in (work / "dist").iterdir())
    return path


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True, timeout=300)
    return root


def field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), name], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_control_fields_and_depends(deb: Path) -> None:
    info = subprocess.run(["dpkg-deb", "--info", str(deb)], capture_output=True, text=True,
                          check=True).stdout
    assert "control" in info and "md5sums" in info
    assert field(deb, "Package") == "rejection-journal"
    assert field(deb, "Version") == __version__
    depends = {alt.split()[0] for dep in field(deb, "Depends").split(",")
               for alt in dep.split("|")}
    # What Qt's xcb/wayland plugins and QtGui load, fonts for Qt's text, SQLite for Python.
    for package in ("libc6", "libegl1", "libfontconfig1", "libxkbcommon0", "libxkbcommon-x11-0",
                    "libxcb-cursor0", "libxcb-icccm4", "libdbus-1-3", "libwayland-client0",
                    "fonts-dejavu-core", "libsqlite3-0"):
        assert package in depends, f"{package} missing from Depends"
    installed_kib = int(field(deb, "Installed-Size"))
    assert installed_kib < 180_000, f"bundle grew to {installed_kib / 1024:.0f} MiB"


def test_contents(deb: Path) -> None:
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True,
                             text=True, check=True).stdout
    paths = {}
    for line in listing.splitlines():
        mode, owner, *_rest = line.split(maxsplit=5)
        name = line.split(" ./", 1)[1]
        paths[name.split(" -> ")[0]] = (mode, owner, name)
    assert all(owner == "root/root" for _mode, owner, _name in paths.values())
    exe = paths[f"{PREFIX}/rejection-journal"]
    assert exe[0] == "-rwxr-xr-x"
    assert paths["usr/bin/rejection-journal"][2].endswith(f"-> /{PREFIX}/rejection-journal")
    expected = [
        f"usr/share/applications/{APP_ID}.desktop",
        f"usr/share/metainfo/{APP_ID}.metainfo.xml",
        f"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        *(f"usr/share/icons/hicolor/{n}x{n}/apps/{APP_ID}.png"
          for n in (16, 24, 32, 48, 64, 128, 256, 512)),
        "usr/share/man/man1/rejection-journal.1.gz",
        "usr/share/doc/rejection-journal/copyright",
        "usr/share/doc/rejection-journal/changelog.gz",
        "usr/share/lintian/overrides/rejection-journal",
    ]
    for path in expected:
        assert path in paths, path
    assert all(p == "" or p.startswith(("opt/", "usr/")) for p in paths), "outside /opt, /usr"
    # Trimmed: no Qt translations, no unused platform plugins, no system libraries.
    assert not [p for p in paths if "/translations/" in p]
    for gone in ("libqeglfs.so", "libqvnc.so", "libqgtk3.so", "libqjpeg.so", "libqopensslbackend",
                 "libQt6EglFSDeviceIntegration", "_internal/libX11.so", "_internal/libglib-2.0",
                 "_internal/libfontconfig", "mpl-data/sample_data", "fonts/ttf/STIX"):
        assert not [p for p in paths if gone in p], gone
    for kept in ("platforms/libqxcb.so", "platforms/libqwayland.so",
                 "platforms/libqoffscreen.so", "imageformats/libqsvg.so",
                 "iconengines/libqsvgicon.so", "fonts/ttf/DejaVuSans.ttf"):
        assert [p for p in paths if kept in p], kept


def test_desktop_entry_and_metainfo_validate(unpacked: Path) -> None:
    validate = need("desktop-file-validate", "desktop-file-utils")
    appstream = need("appstreamcli", "appstream")
    entry = unpacked / f"usr/share/applications/{APP_ID}.desktop"
    result = subprocess.run([validate, str(entry)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    assert "Exec=rejection-journal\n" in entry.read_text(encoding="utf-8")  # /usr/bin is on PATH
    metainfo = unpacked / f"usr/share/metainfo/{APP_ID}.metainfo.xml"
    result = subprocess.run([appstream, "validate", "--no-net", str(metainfo)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_lintian_clean(deb: Path) -> None:
    lintian = need("lintian", "lintian")
    result = subprocess.run(
        [lintian, "--pedantic", "--display-info", "--fail-on", "error,warning,info,pedantic",
         str(deb)], capture_output=True, text=True, timeout=900,
    )
    tags = [line for line in result.stdout.splitlines() if re.match(r"[EWIPX]: ", line)]
    assert result.returncode == 0 and not tags, "\n".join(tags) or result.stderr


@pytest.fixture
def app_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"),
           "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    yield env


def test_bundled_app_opens_its_window_draws_and_exports_the_chart(
    unpacked: Path, tmp_path: Path, app_env: dict[str, str]
) -> None:
    exe = unpacked / PREFIX / "rejection-journal"
    data = tmp_path / "journal"
    version = subprocess.run([str(exe), "--version"], env=app_env, capture_output=True,
                             text=True, timeout=120)
    assert version.stdout.strip() == f"rejection-journal {__version__}", version.stderr
    demo = subprocess.run([str(exe), "--data-dir", str(data), "demo", "--entries", "40"],
                          env=app_env, capture_output=True, text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr

    out = tmp_path / "charts"
    out.mkdir()
    env = {**app_env, "REJECTION_JOURNAL_SMOKE_TEST": str(out)}
    app = subprocess.run([str(exe), "--data-dir", str(data)], env=env, capture_output=True,
                         text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert app.returncode == 0, app.stderr
    assert app.stdout.splitlines() == ["first paint", "chart drawn"], app.stdout + app.stderr
    noise = [line for line in app.stderr.splitlines() if line not in HARMLESS_STDERR]
    assert not noise, "\n".join(noise)  # no missing plugin, font or library warnings

    assert (out / "chart.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in (out / "chart.svg").read_bytes()[:2000]
    assert (out / "chart.pdf").read_bytes().startswith(b"%PDF-")
    # Matplotlib's font cache persists in the user's cache folder (not a new temp dir per start).
    cache = Path(app_env["HOME"]) / ".cache" / "rejection-journal" / "matplotlib"
    assert list(cache.glob("fontlist-*.json"))
    assert (data / "journal.sqlite3").is_file()

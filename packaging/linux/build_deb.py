#!/usr/bin/env python3
"""Turn the PyInstaller one-folder build into a Debian package.

    python packaging/linux/build_deb.py [--bundle dist/rejection-journal] [--out dist]

(``make package`` runs PyInstaller first, then this.) Writes
``dist/rejection-journal_<version>_<arch>.deb``, which installs

* the bundle under ``/opt/rejection-journal`` and ``/usr/bin/rejection-journal`` -> it;
* the desktop entry, hicolor icons and AppStream metainfo under ``/usr/share``
  (the same files the wheel carries for ``--install-desktop-entry``);
* a man page, ``/usr/share/doc/rejection-journal/{copyright,changelog.gz}`` (the copyright
  file carries the license of everything bundled) and lintian overrides, each justified.

``Depends`` is computed: dpkg-shlibdeps on every ELF file in the bundle, resolving the bundle's
own libraries inside it, so only system libraries become dependencies; plus what Qt opens
with dlopen() or needs without linking (see EXTRA_DEPENDS). Needs dpkg-dev, binutils, python3
(run with the venv's Python: it reads the bundled distributions' licenses from it).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from email.utils import formatdate
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PACKAGE = "rejection-journal"
APP_ID = "org.rejectionjournal.RejectionJournal"
INSTALL_DIR = Path("opt") / PACKAGE
RESOURCES = ROOT / "rejection_journal" / "resources"
MAINTAINER = os.environ.get(
    "DEB_MAINTAINER", "Rejection Journal contributors <packaging@rejectionjournal.org>"
)
#: Needed at run time but not visible to dpkg-shlibdeps (no DT_NEEDED entry).
EXTRA_DEPENDS = [
    # Qt draws all text through fontconfig, which needs at least one font; the bundle has none
    # (Matplotlib's own DejaVu copy is only for the chart).
    "fonts-dejavu-core | fonts-freefont-ttf | fonts-liberation2 | fonts-noto-core",
]
#: Bundled distributions whose license goes into the copyright file (pip names).
BUNDLED = [
    "PySide6_Essentials", "shiboken6", "numpy", "matplotlib", "pillow", "contourpy",
    "kiwisolver", "fonttools", "cycler", "pyparsing", "python-dateutil", "packaging",
    "peewee", "platformdirs", "sqlcipher3-wheels",
]
DESCRIPTION = """\
private desktop journal for rejection therapy
 Rejection Journal is a small, private notebook for rejection therapy: making
 small, reasonable requests that might be turned down, so that hearing "no"
 slowly loses its sting. Before each ask you note what you plan and how
 uncomfortable you expect to feel; afterwards, what happened and how it really
 felt. A chart shows the gap between the discomfort you expected and the one
 you felt.
 .
 Everything stays on your computer: no account, no network, no tracking.
 .
 This package bundles its own Python, Qt (PySide6), Matplotlib and NumPy
 (built with PyInstaller) under /opt/rejection-journal."""


def run(*cmd: str, cwd: Path | None = None) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if result.returncode:
        raise SystemExit(f"{cmd[0]} failed ({result.returncode}):\n{result.stderr.strip()}")
    return result.stdout


def version() -> str:
    text = (ROOT / "rejection_journal" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    assert match, "no __version__ in rejection_journal/__init__.py"
    return match.group(1)


def build_time() -> int:
    """SOURCE_DATE_EPOCH, else the last commit's time: the same input gives the same dates."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    # (a copy of the sources without .git, such as a release tarball, builds too)
    try:
        result = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                                capture_output=True, text=True, check=True)
        return int(result.stdout.strip())
    except (OSError, subprocess.CalledProcessError, ValueError):
        return int(time.time())


def is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def gzip_file(data: bytes, dest: Path, mtime: int) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9,
                                               filename="", mtime=mtime) as out:
        out.write(data)


def install_file(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def stage_share(root: Path, ver: str, when: int) -> None:
    share = root / "usr" / "share"
    desktop = RESOURCES / "desktop"
    install_file(desktop / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    install_file(desktop / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    install_file(RESOURCES / "icon.svg", share / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg")
    for png in sorted((desktop / "hicolor").glob(f"*/apps/{APP_ID}.png")):
        install_file(png, share / "icons" / "hicolor" / png.relative_to(desktop / "hicolor"))
    gzip_file((HERE / f"{PACKAGE}.1").read_bytes(), share / "man/man1" / f"{PACKAGE}.1.gz", when)
    doc = share / "doc" / PACKAGE
    changelog = (
        f"{PACKAGE} ({ver}) unstable; urgency=medium\n\n"
        f"  * Release {ver}; see the AppStream metainfo for what is new.\n\n"
        f" -- {MAINTAINER}  {formatdate(when, usegmt=False)}\n"
    )
    gzip_file(changelog.encode(), doc / "changelog.gz", when)
    (doc / "copyright").write_text(copyright_text(), encoding="utf-8")
    overrides = share / "lintian" / "overrides" / PACKAGE
    overrides.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HERE / "lintian-overrides", overrides)


#: sqlcipher3-wheels' own license file covers only its Python binding (above); the wheel also
#: links SQLCipher and OpenSSL into its extension module.
SQLCIPHER_NOTICE = """\
SQLCipher (built into sqlcipher3-wheels' extension module): BSD-3-Clause

Copyright (c) Zetetic LLC
All rights reserved.

Redistribution and use in source and binary forms, with or without modification, are
permitted provided that the following conditions are met:
    * Redistributions of source code must retain the above copyright notice, this list of
      conditions and the following disclaimer.
    * Redistributions in binary form must reproduce the above copyright notice, this list
      of conditions and the following disclaimer in the documentation and/or other
      materials provided with the distribution.
    * Neither the name of the ZETETIC LLC nor the names of its contributors may be used to
      endorse or promote products derived from this software without specific prior
      written permission.

THIS SOFTWARE IS PROVIDED BY ZETETIC LLC ''AS IS'' AND ANY EXPRESS OR IMPLIED WARRANTIES,
INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A
PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL ZETETIC LLC BE LIABLE FOR ANY DIRECT,
INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR
BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT,
STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE
USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

SQLCipher includes SQLite, which is in the public domain.

OpenSSL (libcrypto, built into the same module): Apache-2.0. Copyright (c) the OpenSSL
Project Authors. On Debian systems, the complete text of the Apache License 2.0 can be
found in "/usr/share/common-licenses/Apache-2.0".
"""


def copyright_text() -> str:
    """Our license, then every bundled component's, verbatim (no extra license files)."""
    parts = [textwrap.dedent(f"""\
        Rejection Journal
        Copyright 2026 Rejection Journal contributors

        This program is free software: you can redistribute it and/or modify it under the
        terms of the GNU General Public License as published by the Free Software Foundation,
        either version 3 of the License, or (at your option) any later version.

        On Debian systems, the complete text of the GNU General Public License version 3 can
        be found in "/usr/share/common-licenses/GPL-3".

        The rest of this file lists the software bundled in /opt/{PACKAGE} (built with
        PyInstaller, whose bootloader is GPL-2.0-or-later with an exception that allows
        this) and their licenses.

        Qt 6 (libraries under _internal/PySide6/Qt) and PySide6/Shiboken6: LGPL-3.0-only
        (or GPL-2.0-only or GPL-3.0). On Debian systems the complete texts are in
        "/usr/share/common-licenses/LGPL-3", "/usr/share/common-licenses/GPL-2" and
        "/usr/share/common-licenses/GPL-3". Qt bundles ICU (Unicode License) and other
        third-party code; see https://doc.qt.io/qt-6/licenses-used-in-qt.html.
        """)]
    python_license = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}." \
        f"{sys.version_info[1]}" / "LICENSE.txt"
    if python_license.is_file():
        parts.append(f"Python {sys.version.split()[0]}: PSF-2.0\n\n"
                     + python_license.read_text(encoding="utf-8"))
    for name in BUNDLED:
        if name in {"PySide6_Essentials", "shiboken6"}:
            continue  # above: their wheels carry no license file
        dist = importlib.metadata.distribution(name)
        raw = (dist.metadata.get("License-Expression") or dist.metadata.get("License") or "")
        license_name = raw.strip().splitlines()[0] if raw.strip() else "see below"
        texts = [
            f for f in dist.files or []
            if ".dist-info" in str(f) and re.search(r"LICEN[CS]E|COPYING", f.name, re.I)
        ]
        assert texts, f"no license file for bundled {name}"
        body = "\n\n".join(f.read_text(encoding="utf-8") for f in texts)  # type: ignore[union-attr]
        parts.append(f"{dist.metadata['Name']} {dist.version}: {license_name}\n\n{body}")
    parts.append(SQLCIPHER_NOTICE)
    parts.append(
        "Matplotlib's fonts: DejaVu (Bitstream Vera license, public domain changes) and Last "
        "Resort (SIL Open Font License 1.1); the texts are in _internal/matplotlib/mpl-data/"
        "fonts/ttf. The libraries in _internal/numpy.libs (OpenBLAS: BSD-3-Clause; libgfortran, "
        "libquadmath: GPL-3.0-or-later with the GCC Runtime Library Exception) and "
        "_internal/pillow.libs (libjpeg-turbo, libtiff, OpenJPEG, xz, zstd, libxcb, libXau) "
        "come with the NumPy and Pillow wheels; their licenses are included above.\n"
    )
    separator = "\n" + "-" * 78 + "\n\n"
    text = separator.join(part.rstrip() + "\n" for part in parts)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def normalise_modes(root: Path) -> None:
    for dirpath, _dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            os.chmod(path, 0o644)
    os.chmod(root / INSTALL_DIR / PACKAGE, 0o755)


def shlib_depends(root: Path) -> str:
    """dpkg-shlibdeps over the bundle's ELF files; bundled libraries are resolved inside it."""
    bundle = root / INSTALL_DIR
    elves = sorted(p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()
                   and is_elf(p))
    lib_dirs = sorted({str(p.parent) for p in elves if ".so" in p.name})
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "debian").mkdir()
        (Path(tmp) / "debian" / "control").write_text(
            f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n"
        )
        # --ignore-missing-info: the bundle's own libraries come from no package; every
        # system library does, and has symbols/shlibs information.
        out = run("dpkg-shlibdeps", "-O", "--warnings=1", "--ignore-missing-info",
                  *(f"-l{d}" for d in lib_dirs),
                  *map(str, elves), cwd=Path(tmp))
    match = re.search(r"^shlibs:Depends=(.*)$", out, re.MULTILINE)
    assert match, out
    return match.group(1)


def installed_size(root: Path) -> int:
    """In KiB, the way dpkg-gencontrol counts: each file rounded up, 1 per dir or link."""
    total = 0
    for path in root.rglob("*"):
        if path.is_relative_to(root / "DEBIAN"):
            continue
        if path.is_symlink() or path.is_dir():
            total += 1
        else:
            total += (path.stat().st_size + 1023) // 1024
    return total


def write_control(root: Path, ver: str, arch: str) -> None:
    depends = ", ".join([shlib_depends(root), *EXTRA_DEPENDS])
    control = (
        f"Package: {PACKAGE}\n"
        f"Version: {ver}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_size(root)}\n"
        f"Depends: {depends}\n"
        "Section: misc\n"
        "Priority: optional\n"
        f"Description: {DESCRIPTION}\n"
    )
    debian = root / "DEBIAN"
    (debian / "control").write_text(control, encoding="utf-8")
    sums = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.is_relative_to(debian):
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            sums.append(f"{digest}  {path.relative_to(root)}\n")
    (debian / "md5sums").write_text("".join(sums), encoding="utf-8")
    os.chmod(debian / "control", 0o644)
    os.chmod(debian / "md5sums", 0o644)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / PACKAGE,
                        help="the PyInstaller one-folder build (default: dist/rejection-journal)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder for the .deb")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "deb",
                        help="staging folder (emptied first)")
    parser.add_argument("--compress", choices=("xz", "zstd"), default="xz")
    args = parser.parse_args()
    # dpkg-shlibdeps runs in a temporary folder: every path handed to it must be absolute
    # (`make package` passes the Makefile's relative dist/ and build/).
    args.bundle, args.out, args.work = (path.resolve() for path in
                                        (args.bundle, args.out, args.work))

    executable = args.bundle / PACKAGE
    if not executable.is_file():
        parser.error(f"{executable} missing: run PyInstaller first (make package does)")
    ver, when = version(), build_time()
    arch = run("dpkg", "--print-architecture").strip()
    root = args.work / "root"
    if args.work.exists():
        shutil.rmtree(args.work)
    root.mkdir(parents=True)

    shutil.copytree(args.bundle, root / INSTALL_DIR, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    # Absolute: /usr and /opt are different top-level folders (Debian policy 10.5).
    (root / "usr" / "bin" / PACKAGE).symlink_to(Path("/") / INSTALL_DIR / PACKAGE)
    stage_share(root, ver, when)
    normalise_modes(root)
    (root / "DEBIAN").mkdir(mode=0o755)  # also tells dpkg-shlibdeps where $ORIGIN points
    write_control(root, ver, arch)

    args.out.mkdir(parents=True, exist_ok=True)
    deb = args.out / f"{PACKAGE}_{ver}_{arch}.deb"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(when)}
    subprocess.run(["dpkg-deb", "--root-owner-group", f"-Z{args.compress}", "--build",
                    str(root), str(deb)], check=True, env=env, stdout=subprocess.DEVNULL)
    print(f"{deb} ({deb.stat().st_size / 1e6:.1f} MB, installed "
          f"{installed_size(root) / 1024:.1f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

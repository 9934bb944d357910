"""Package a Lambda like `aws cloudformation package`: a deterministic zip of the function's package, `shared/` and
its dependencies installed for the Lambda runtime, named by its content hash (functions/README.md, Packaging)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from stacks.preflight import UserError, say

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".artifacts"
LAMBDA_PYTHON = "3.12"  # matches Runtime: python3.12 in app.yaml
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same code gives the same zip and S3 key


def _deps_dir(function: str) -> Path:
    """Dependencies of one function, installed for the Lambda runtime; cached by requirements hash."""
    requirements = ROOT / "functions" / function / "requirements.txt"
    text = requirements.read_text() if requirements.exists() else ""
    digest = hashlib.sha256(f"{LAMBDA_PYTHON}\n{text}".encode()).hexdigest()[:16]
    target = BUILD / "deps" / f"{function}-{digest}"
    if target.exists():
        return target
    tmp = target.with_suffix(".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if text.strip():
        say(f"installing {function} dependencies for python{LAMBDA_PYTHON} (manylinux wheels)")
        installed = subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(requirements),
             "--target", str(tmp), "--platform", "manylinux2014_x86_64", "--implementation", "cp",
             "--python-version", LAMBDA_PYTHON, "--only-binary=:all:", "--upgrade"],
            check=False,
        )  # fmt: skip
        if installed.returncode != 0:
            raise UserError(
                f"pip could not install {function}'s dependencies (functions/{function}/requirements.txt) for "
                f"python{LAMBDA_PYTHON}: see its message above; the first package needs PyPI"
            )
    for junk in list(tmp.rglob("__pycache__")) + list(tmp.glob("*.dist-info")) + list(tmp.glob("bin")):
        shutil.rmtree(junk, ignore_errors=True)
    tmp.rename(target)
    return target


def _zip_entries(function: str) -> list[tuple[str, Path]]:
    """(archive name, file) pairs: dependencies, then the shared package, then the function's own package."""
    entries: dict[str, Path] = {}

    def add_tree(base: Path, prefix: str = "") -> None:
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                entries[prefix + path.relative_to(base).as_posix()] = path

    add_tree(_deps_dir(function))
    shared = ROOT / "functions" / "shared"
    if shared.exists():
        add_tree(shared, "shared/")
    add_tree(ROOT / "functions" / function / function, f"{function}/")  # the package its Handler names
    return sorted(entries.items())


def package(function: str) -> Path:
    """Build a deterministic zip; its name carries its sha256 so unchanged code keeps its S3 key."""
    BUILD.mkdir(exist_ok=True)
    tmp = BUILD / f"{function}.zip.tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in _zip_entries(function):
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()[:20]
    final = BUILD / f"{function}-{digest}.zip"
    tmp.replace(final)
    return final

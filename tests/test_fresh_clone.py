"""`make install` works from a fresh clone with only the system's Python on the PATH.

Issue #11: on a stock Debian machine python3 is "externally managed" and `pip install` into it
fails. The Makefile must make `.venv` with Python's own venv module and install everything (uv
included) inside it. This test clones HEAD, runs `make install` with PATH=/usr/bin:/bin and checks
the venv works and the system interpreter gained nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PATH = "/usr/bin:/bin"
SYSTEM_PYTHON = "/usr/bin/python3"

# every place the system interpreter installs to (packages there would come from `pip install`)
_SITE_SNAPSHOT = """
import json, site, os, sys
dirs = site.getsitepackages() + [site.getusersitepackages()]
print(json.dumps({d: sorted(os.listdir(d)) if os.path.isdir(d) else None for d in dirs}))
"""


def _system_site_packages() -> dict[str, list[str] | None]:
    proc = subprocess.run(
        [SYSTEM_PYTHON, "-c", _SITE_SNAPSHOT],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(proc.stdout)


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float):
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.slow
def test_fresh_clone_make_install_with_system_python_only(tmp_path: Path) -> None:
    assert Path(SYSTEM_PYTHON).exists(), "this test needs the system's /usr/bin/python3"
    git = shutil.which("git", path=SYSTEM_PATH)
    make = shutil.which("make", path=SYSTEM_PATH)
    assert git and make, "git and make must be in /usr/bin or /bin"
    head = subprocess.run(
        [git, "-C", str(ROOT), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert head.returncode == 0, f"{ROOT} must be a git checkout: {head.stderr}"

    clone = tmp_path / "clone"
    # --shared: the clone borrows this repository's objects, so any HEAD (detached too) is there
    subprocess.run(
        [git, "clone", "--quiet", "--shared", "--no-checkout", str(ROOT), str(clone)], check=True
    )
    subprocess.run(
        [git, "-C", str(clone), "checkout", "--quiet", "--detach", head.stdout.strip()],
        check=True,
    )

    home = Path.home()
    env = {
        "PATH": SYSTEM_PATH,
        "HOME": str(home),
        "LANG": "C.UTF-8",
        # shared caches: the packages are downloaded once per machine, not once per run
        "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(home / ".cache" / "uv")),
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(home / ".cache" / "pip")),
    }
    # this machine's package index settings (mirrors, proxies, certificates), nothing else
    env |= {
        k: v
        for k, v in os.environ.items()
        if k.startswith(("PIP_", "UV_", "SSL_"))
        or k.lower().endswith("_proxy")
        or k in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
    }
    for key in ("UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "VIRTUAL_ENV"):
        env.pop(key, None)

    version = _run(["python3", "-c", "import sys; print(sys.executable)"], clone, env, 30)
    assert version.stdout.strip() in ("/usr/bin/python3", "/bin/python3"), version

    before = _system_site_packages()
    install = _run([make, "install"], clone, env, timeout=300)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    assert _system_site_packages() == before, "make install changed the system interpreter"
    no_uv = _run([SYSTEM_PYTHON, "-c", "import uv"], clone, env, 30)
    if "uv" not in str(before):
        assert no_uv.returncode != 0, "uv was installed into the system interpreter"

    venv_python = clone / ".venv" / "bin" / "python"
    imports = _run(
        [str(venv_python), "-c", "import sys, pipelines, dashboard, iurc; print(sys.prefix)"],
        clone,
        env,
        120,
    )
    assert imports.returncode == 0, imports.stderr[-3000:]
    assert Path(imports.stdout.strip()) == clone / ".venv"
    cli = _run([str(clone / ".venv" / "bin" / "iurc"), "--help"], clone, env, 120)
    assert cli.returncode == 0, cli.stderr[-3000:]
    assert "serve" in cli.stdout and "ingest" in cli.stdout

    again = _run([make, "--question", "install"], clone, env, 60)
    assert again.returncode == 0, "a second `make install` would do work again"

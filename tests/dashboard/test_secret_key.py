"""The generated session-signing key: one key for every process that starts at once, never empty."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from dashboard import auth


def _key_in_child(
    app_db: str, start: multiprocessing.synchronize.Event, out: multiprocessing.Queue[str]
) -> None:
    import os

    os.environ["IURC_APP_DB"] = app_db
    os.environ.pop("IURC_SECRET_KEY", None)
    start.wait()
    out.put(auth.secret_key())


def test_processes_starting_together_share_one_full_key(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    app_db = str(tmp_path / "app" / "app.sqlite")
    start, out = ctx.Event(), ctx.Queue()
    children = [ctx.Process(target=_key_in_child, args=(app_db, start, out)) for _ in range(8)]
    for child in children:
        child.start()
    start.set()
    keys = [out.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    assert len(set(keys)) == 1 and len(keys[0]) >= 48
    key_file = tmp_path / "app" / "secret_key"
    assert key_file.read_text(encoding="ascii").strip() == keys[0]
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in key_file.parent.iterdir()) == ["secret_key"]  # no temporary left


def test_an_empty_key_file_is_refused_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IURC_APP_DB", str(tmp_path / "app.sqlite"))
    monkeypatch.delenv("IURC_SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("", encoding="ascii")
    with pytest.raises(RuntimeError, match="is empty"):
        auth.secret_key()


def test_the_environment_key_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IURC_APP_DB", str(tmp_path / "app.sqlite"))
    monkeypatch.setenv("IURC_SECRET_KEY", "from-the-environment")
    assert auth.secret_key() == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()

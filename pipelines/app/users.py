"""Local accounts: scrypt password hashes (werkzeug.security), roles, city scopes, throttling."""

from __future__ import annotations

import time
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

from pipelines import config
from pipelines.app import audit, store

MIN_PASSWORD = 10
# a hash to check against when the account does not exist, so both cases take as long
_DUMMY_HASH = generate_password_hash("not a password of anyone", method="scrypt")


class UserError(ValueError):
    """A user command was refused (unknown user, bad role, weak password)."""


@dataclass(frozen=True)
class User:
    """An account as the app sees it (no password hash)."""

    username: str
    role: str
    cities: tuple[str, ...]
    disabled: bool


def _check_role(role: str, cities: tuple[str, ...]) -> None:
    if role not in config.ROLES:
        raise UserError(f"unknown role '{role}'; expected one of: {', '.join(config.ROLES)}")
    if role == "city_editor" and not cities:
        raise UserError("a city editor needs at least one city id (--city turin-it)")


def _check_name(username: str) -> str:
    name = username.strip()
    if not name or len(name) > 120 or not name.isprintable():
        raise UserError("a user name is 1-120 printable characters")
    return name


def _row_user(row: tuple[str, str, str, int]) -> User:
    username, role, cities, disabled = row
    return User(username, role, tuple(c for c in cities.split(",") if c), bool(disabled))


def add(username: str, password: str, role: str, cities: tuple[str, ...] = ()) -> User:
    """Create an account; return it (UserError if it exists, the role is unknown, the password short)."""
    name = _check_name(username)
    _check_role(role, cities)
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password has at least {MIN_PASSWORD} characters")
    with store.connect() as con:
        if con.execute("SELECT 1 FROM users WHERE username = ?", (name,)).fetchone():
            raise UserError(f"user '{name}' exists already")
        con.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, 0, ?)",
            (
                name,
                generate_password_hash(password, method="scrypt"),
                role,
                ",".join(cities),
                audit.now(),
            ),
        )
    return User(name, role, cities, False)


def set_role(username: str, role: str, cities: tuple[str, ...] = ()) -> User:
    """Change an account's role (and cities); return it (UserError if unknown)."""
    _check_role(role, cities)
    with store.connect() as con:
        cur = con.execute(
            "UPDATE users SET role = ?, cities = ? WHERE username = ?",
            (role, ",".join(cities), username),
        )
        if cur.rowcount == 0:
            raise UserError(f"no user '{username}'")
    found = get(username)
    assert found is not None
    return found


def set_disabled(username: str, disabled: bool = True) -> None:
    """Disable (or enable again) an account; a disabled account cannot sign in."""
    with store.connect() as con:
        cur = con.execute(
            "UPDATE users SET disabled = ? WHERE username = ?", (int(disabled), username)
        )
        if cur.rowcount == 0:
            raise UserError(f"no user '{username}'")


def get(username: str) -> User | None:
    """Return the account `username`, or None."""
    with store.connect() as con:
        row = con.execute(
            "SELECT username, role, cities, disabled FROM users WHERE username = ?", (username,)
        ).fetchone()
    return _row_user((row[0], row[1], row[2], row[3])) if row else None


def all_users() -> list[User]:
    """Return every account, by name."""
    with store.connect() as con:
        rows = con.execute(
            "SELECT username, role, cities, disabled FROM users ORDER BY username"
        ).fetchall()
    return [_row_user((r[0], r[1], r[2], r[3])) for r in rows]


def throttled(username: str, address: str) -> bool:
    """Return True when too many sign-in attempts failed lately for this account or address."""
    per_account, per_address, window = config.login_limits()
    since = time.time() - window
    with store.connect() as con:
        con.execute("DELETE FROM login_failures WHERE at < ?", (since,))
        by_account = con.execute(
            "SELECT count(*) FROM login_failures WHERE username = ? AND at >= ?",
            (username, since),
        ).fetchone()[0]
        by_address = con.execute(
            "SELECT count(*) FROM login_failures WHERE address = ? AND at >= ?",
            (address, since),
        ).fetchone()[0]
    return bool(by_account >= per_account or by_address >= per_address)


def authenticate(username: str, password: str, address: str) -> User | None:
    """Return the enabled account whose password matches, else None (the failure is counted)."""
    with store.connect() as con:
        row = con.execute(
            "SELECT username, role, cities, disabled, password_hash FROM users WHERE username = ?",
            (username,),
        ).fetchone()
    ok = check_password_hash(row["password_hash"] if row else _DUMMY_HASH, password)
    if row and ok and not row["disabled"]:
        return _row_user((row[0], row[1], row[2], row[3]))
    with store.connect() as con:
        con.execute(
            "INSERT INTO login_failures VALUES (?, ?, ?)", (username[:120], address, time.time())
        )
    return None

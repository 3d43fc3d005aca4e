"""What the command line says when it cannot go on: the setting to change and how, never a traceback."""

from __future__ import annotations

import errno
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefings.plain_settings import DATABASE_SETTINGS

if TYPE_CHECKING:  # pydantic's settings and errors are loaded only to explain a failure
    from pydantic import ValidationError
    from pydantic_settings import BaseSettings

    from briefings.plain_settings import CoreOptions
    from briefings.service import Briefings

DATABASE_EXAMPLES = "e.g. sqlite:///briefing.db, or postgresql://USER@HOST/DB for several processes"


class DatabaseUnavailable(Exception):
    """The database could not be opened or migrated; the cause is chained."""


class PortUnavailable(Exception):
    """A port the bot listens on cannot be opened; the message names the setting."""


@dataclass(frozen=True)
class Failure:
    message: str
    code: int


def set_in_environment(name: str) -> bool:
    """Whether `name` is set (any case) in the environment or the `.env` file, as the settings read it."""
    if any(key.upper() == name for key in os.environ):
        return True
    if Path(".env").is_file():
        from dotenv import dotenv_values

        return any(key.upper() == name for key in dotenv_values(".env"))
    return False


def database_setting() -> str:
    """The variable the database URL came from: the one the user set, or the documented one."""
    return next((name for name in DATABASE_SETTINGS if set_in_environment(name)), DATABASE_SETTINGS[0])


def setting_name(settings: type[BaseSettings], location: str) -> str:
    """The environment variable behind a validation error's location: an alias as written, or prefix + field."""
    from pydantic import AliasChoices

    field = settings.model_fields.get(location)
    if field is None or isinstance(field.validation_alias, AliasChoices):
        return location.upper()
    return (str(settings.model_config.get("env_prefix", "")) + location).upper()


async def open_briefings(settings: CoreOptions) -> Briefings:
    """Opens the store (migrating it) and loads the seed; any failure to reach the database is DatabaseUnavailable."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from briefings.service import Briefings
    from briefings.store.database import DatabaseSetupError

    try:
        return await Briefings.start(settings)
    except (OSError, SQLAlchemyError, ArgumentError, DatabaseSetupError) as exc:
        raise DatabaseUnavailable(exc) from exc


def _database(error: DatabaseUnavailable) -> Failure:
    from briefings.store.database import DatabaseSetupError

    cause = error.__cause__
    name = database_setting()
    origin = getattr(cause, "orig", None) or cause  # the driver's own error inside SQLAlchemy's wrapper
    if isinstance(cause, DatabaseSetupError):
        detail = str(cause)
    elif isinstance(origin, ConnectionRefusedError) or "Connect call failed" in str(origin):
        detail = "nothing answers at the server's address (is PostgreSQL running, and are the host and port right?)"
    elif isinstance(origin, socket.gaierror):
        detail = "the server's host name is not known"
    else:
        text = str(origin).strip().splitlines()
        detail = text[0].removeprefix("(sqlalchemy.dialects.postgresql.asyncpg.Error) ") if text else "no details"
        detail = detail if type(origin).__name__ == "Error" else f"{type(origin).__name__}: {detail}"
    return Failure(f"briefing: cannot open the database: {detail}.\nCheck {name} ({DATABASE_EXAMPLES}).", 1)


def _settings(error: ValidationError, settings: type[BaseSettings]) -> Failure:
    lines = []
    for item in error.errors():
        name = setting_name(settings, str(item["loc"][0])) if item["loc"] else "a setting"
        value = f" (got {item['input']!r})" if isinstance(item.get("input"), str) else ""
        lines.append(f"Invalid setting {name}{value}: {item['msg'].removeprefix('Value error, ')}")
    return Failure("\n".join(lines), 2)


def explain(exc: BaseException, settings: type[BaseSettings]) -> Failure | None:
    """The message and exit code for a failure the user can fix; None for anything else."""
    from pydantic import ValidationError

    from bot.adapter import SetupError

    if isinstance(exc, DatabaseUnavailable):
        return _database(exc)
    if isinstance(exc, ValidationError):
        return _settings(exc, settings)
    if isinstance(exc, SetupError | PortUnavailable):
        return Failure(f"briefing: {exc}", 2)
    if isinstance(exc, OSError) and exc.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
        return Failure(f"briefing: cannot listen: {exc.strerror}. Set {port_setting(exc)} to a free port.", 2)
    return None


LISTENERS = (("PORT", "3000"), ("BRIEFING_HEALTH_PORT", "8081"))
"""The ports `briefing serve` listens on: Slack's HTTP endpoint, and health when Slack is not served over HTTP."""


def port_setting(error: OSError) -> str:
    """The setting of the port that could not be opened (the error names the address it tried)."""
    found = re.search(r", (\d+)\)", str(error))
    for name, default in LISTENERS:
        value = next((v for k, v in os.environ.items() if k.upper() == name), default).strip()
        if found and value == found.group(1):
            return name
    return LISTENERS[0][0]

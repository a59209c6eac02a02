"""Configuration errors: one exception, and pydantic validation errors turned into one readable line."""

from __future__ import annotations

import reprlib
from typing import Any

from pydantic import BaseModel, ValidationError

MAX_ERRORS = 3  # errors listed in one message; the rest are counted

_repr = reprlib.Repr()
_repr.maxlevel, _repr.maxdict, _repr.maxlist, _repr.maxtuple, _repr.maxset = 2, 4, 6, 6, 6
_repr.maxstring, _repr.maxother, _repr.maxlong = 60, 60, 40


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names field, value and what is allowed."""


def excerpt(value: Any, limit: int = 80) -> str:
    """A short repr of ``value`` (at most ``limit`` characters, however large or deep the value)."""
    text = _repr.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def excerpt_text(text: str, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _format_error(exc: ValidationError, prefix: str = "") -> str:
    """One line: each error's field, value (an excerpt) and what is allowed."""
    lines = []
    errors = exc.errors()
    for err in errors[:MAX_ERRORS]:
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if prefix:
            loc = f"{prefix}.{loc}" if loc != "(top level)" else prefix
        msg = excerpt_text(err["msg"].removeprefix("Value error, "))
        if err["type"] == "extra_forbidden":
            lines.append(f"{loc}: unknown key (value {excerpt(err['input'])}); check the spelling against docs/ODD.md")
        elif err["type"] == "missing":
            lines.append(f"{loc}: required field is missing")
        elif not err["loc"] and not prefix:  # a rule across fields: its message names them
            lines.append(msg)
        elif err["type"] == "value_error" and isinstance(err["input"], dict):  # a rule across a section's fields
            lines.append(f"{loc}: {msg}")
        else:
            lines.append(f"{loc}: value {excerpt(err['input'])} is not allowed: {msg}")
    if len(errors) > MAX_ERRORS:
        lines.append(f"and {len(errors) - MAX_ERRORS} more")
    return "; ".join(lines)


def _validate(model: type[BaseModel], data: dict, prefix: str = "") -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_error(exc, prefix)) from None


"""Configuration errors: one exception, and pydantic validation errors turned into one readable line."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names field, value and what is allowed."""


def _format_error(exc: ValidationError, prefix: str = "") -> str:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if prefix:
            loc = f"{prefix}.{loc}" if loc != "(top level)" else prefix
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            lines.append(f"{loc}: unknown key (value {err['input']!r}); check the spelling against docs/ODD.md")
        elif err["type"] == "missing":
            lines.append(f"{loc}: required field is missing")
        elif not err["loc"] and not prefix:  # a rule across fields: its message names them
            lines.append(msg)
        else:
            lines.append(f"{loc}: value {err['input']!r} is not allowed: {msg}")
    return "; ".join(lines)


def _validate(model: type[BaseModel], data: dict, prefix: str = "") -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_error(exc, prefix)) from None


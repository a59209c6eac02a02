"""Merging configuration data: scenario overlays (deep merge) and dotted ``key=value`` overrides."""

from __future__ import annotations

import copy
from typing import Any

from abm.config.errors import ConfigError, excerpt_text
from abm.config.safe_yaml import parse_yaml


def deep_merge(base: dict, overlay: dict) -> dict:
    """A new dict: ``overlay`` merged into ``base``; nested dicts merge, everything else replaces."""
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def set_dotted(data: dict, assignment: str) -> dict:
    """Apply ``a.b.c=value`` (value parsed as YAML; list items by index) to a copy of ``data``."""
    if "=" not in assignment:
        raise ConfigError(f"--set '{excerpt_text(assignment, 60)}': expected KEY=VALUE, e.g. years=5")
    key, raw = assignment.split("=", 1)
    key = key.strip()
    if not key or any(not part.strip() for part in key.split(".")):
        raise ConfigError(f"--set '{excerpt_text(assignment, 60)}': the key has an empty part; expected e.g. help.capacity_hours=5")
    value = parse_yaml(raw, f"--set {key}") if raw.strip() else None
    out = copy.deepcopy(data)
    parts = key.split(".")
    node: Any = out
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = ".".join(parts[: i + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ConfigError(f"--set {key}: '{where}' is a list of {len(node)}; use an index 0..{len(node) - 1}")
            idx = int(part)
            if last:
                node[idx] = value
            else:
                node = node[idx]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
        else:
            raise ConfigError(f"--set {key}: '{'.'.join(parts[:i])}' is a value, not a section")
    return out


"""Numbers and tables in the room's language (babel): € 1.155, 44,6%, jaar 3,2 in Dutch;
€1,155, 44.6%, year 3.2 in English; CSV in the Dutch Excel dialect (semicolons, decimal comma,
Dutch headers) or the English one."""

from __future__ import annotations

import math

import pandas as pd
from babel.numbers import format_currency, format_decimal, format_percent

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
MINUS = "−"


def number(value: float, lang: str, decimals: int = 0, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    pattern = f"+{body};{MINUS}{body}" if signed else body
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def percent(value: float, lang: str) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return format_percent(value, format="#,##0.0%", locale=LOCALES[lang])


def euro(value: float, lang: str, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    text = format_currency(abs(value), "EUR", format="¤\u00a0#,##0" if lang == "nl" else "¤#,##0",
                           currency_digits=False, locale=LOCALES[lang])
    if value < 0 or (signed and round(value) != 0):
        return (MINUS if value < 0 else "+") + text
    return text


def value(v: float, unit: str, lang: str) -> str:
    """A card's value by unit (share | count | hours | euro)."""
    if unit == "share":
        return percent(v, lang)
    if unit == "euro":
        return euro(v, lang)
    return number(v, lang)


def difference(v: float, unit: str, lang: str, short: bool = False) -> str:
    """A signed difference; shares in percentage points (``short``: the number only)."""
    if unit == "share":
        suffix = "" if short else (" procentpunt" if lang == "nl" else " percentage points")
        return number(100 * v, lang, 1, signed=True) + suffix
    if unit == "euro":
        return euro(v, lang, signed=True)
    return number(v, lang, 1 if abs(v) < 10 else 0, signed=True)


def year(v: float, lang: str) -> str:
    return ("jaar " if lang == "nl" else "year ") + number(v, lang, 1)


def plotly_separators(lang: str) -> str:
    """Plotly's decimal and thousands separators."""
    return ",." if lang == "nl" else ".,"


def csv_bytes(df: pd.DataFrame, lang: str, headers: dict[str, str] | None = None) -> bytes:
    """A table for Excel: Dutch dialect (``;`` and decimal comma, BOM so Excel reads UTF-8) or English."""
    out = df.rename(columns=headers or {})
    if lang == "nl":
        return out.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    return out.to_csv(index=False).encode("utf-8")

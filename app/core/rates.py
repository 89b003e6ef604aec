"""Rates as operators write them (`600/minute`), read by the `limits` library."""

from limits import RateLimitItem, parse_many

RATE_EXAMPLE = "write N/second, N/minute, N/hour or N/day, e.g. 600/minute"


def parse_rate(text: str) -> RateLimitItem:
    """The one rate `text` names; ValueError (saying how to write one) otherwise."""
    try:
        items = parse_many(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a rate: {RATE_EXAMPLE}") from None
    if len(items) != 1 or items[0].amount < 1:
        raise ValueError(f"{text!r} is not one rate of at least 1 request: {RATE_EXAMPLE}")
    return items[0]

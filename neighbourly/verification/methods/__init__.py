"""Verification methods: one strategy class per method behind `base.VerificationMethod`."""

from neighbourly.core.errors import ApplicationError
from neighbourly.verification.methods.base import Outcome, VerificationMethod
from neighbourly.verification.methods.document import DocumentMethod
from neighbourly.verification.methods.geolocation import GeolocationMethod
from neighbourly.verification.methods.postcard import PostcardMethod
from neighbourly.verification.methods.register import RegisterMethod
from neighbourly.verification.methods.vouch import VouchMethod

METHODS: dict[str, VerificationMethod] = {
    m.name: m
    for m in (PostcardMethod(), VouchMethod(), DocumentMethod(), GeolocationMethod(), RegisterMethod())
}


def method_get(name: str) -> VerificationMethod:
    try:
        return METHODS[name]
    except KeyError:
        raise ApplicationError(f"Unknown verification method '{name}'.") from None


def methods_enabled(community) -> list[VerificationMethod]:
    return [m for m in METHODS.values() if m.is_enabled(community)]


__all__ = ["METHODS", "Outcome", "VerificationMethod", "method_get", "methods_enabled"]

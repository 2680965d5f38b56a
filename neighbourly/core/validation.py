"""Turn Django's ValidationError into the one domain error the API and pages understand."""

from django.core.exceptions import ValidationError

from neighbourly.core.errors import ApplicationError


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        parts = []
        for field, messages in error.message_dict.items():
            prefix = "" if field == "__all__" else f"{field}: "
            parts.extend(f"{prefix}{m}" for m in messages)
        return " ".join(parts)
    return " ".join(error.messages)


def full_clean_or_raise(instance, **kwargs) -> None:
    """`instance.full_clean()`, raising ApplicationError with readable messages."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise ApplicationError(validation_message(exc)) from exc

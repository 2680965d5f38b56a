"""Turn Django's ValidationError into the one domain error the API and pages understand."""

from django.core.exceptions import ValidationError

from neighbourly.core.errors import ApplicationError
from neighbourly.core.text import model_text_clean


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        parts = []
        for field, messages in error.message_dict.items():
            prefix = "" if field == "__all__" else f"{field}: "
            parts.extend(f"{prefix}{m}" for m in messages)
        return " ".join(parts)
    return " ".join(error.messages)


def full_clean_or_raise(instance, **kwargs) -> None:
    """Strip control characters from the text fields (core.text), then `instance.full_clean()`,
    raising ApplicationError with readable messages."""
    model_text_clean(instance)
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise ApplicationError(validation_message(exc)) from exc

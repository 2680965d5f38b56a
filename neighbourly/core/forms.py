"""Form helpers shared by the page views."""

from django import forms

from neighbourly.core.errors import ApplicationError


def form_add_application_error(form: forms.BaseForm, error: ApplicationError, *, field: str | None = None) -> None:
    """Put a service's ``ApplicationError`` on ``form``: on ``field`` when given, else on the field the
    error names (``extra["field"]``) if the form has it, else as a non-field error."""
    if field is None:
        named = error.extra.get("field")
        field = named if named in form.fields else None
    form.add_error(field, error.message)

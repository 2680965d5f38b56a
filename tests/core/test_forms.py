import pytest
from django import forms

from neighbourly.core.errors import ApplicationError, PermissionDenied
from neighbourly.core.forms import form_add_application_error


class NameForm(forms.Form):
    name = forms.CharField()
    password = forms.CharField()


def _form():
    form = NameForm({"name": "Ann", "password": "secret"})
    assert form.is_valid()
    return form


def test_a_plain_error_is_a_non_field_error():
    form = _form()
    form_add_application_error(form, ApplicationError("That name is taken."))
    assert form.errors == {"__all__": ["That name is taken."]}
    assert form.non_field_errors() == ["That name is taken."]


def test_an_error_naming_a_field_goes_on_that_field():
    form = _form()
    form_add_application_error(form, ApplicationError("That name is taken.", extra={"field": "name"}))
    assert form.errors == {"name": ["That name is taken."]}
    assert "name" not in form.cleaned_data


def test_an_error_naming_a_field_the_form_lacks_is_a_non_field_error():
    form = _form()
    form_add_application_error(form, ApplicationError("Too many.", extra={"field": "email"}))
    assert form.errors == {"__all__": ["Too many."]}


def test_the_view_can_choose_the_field():
    form = _form()
    form_add_application_error(form, PermissionDenied("Wrong password."), field="password")
    assert form.errors == {"password": ["Wrong password."]}


def test_choosing_a_field_the_form_lacks_is_a_programming_error():
    with pytest.raises(ValueError):
        form_add_application_error(_form(), ApplicationError("x"), field="nope")

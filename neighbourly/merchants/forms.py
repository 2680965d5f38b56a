from datetime import timedelta

from django import forms
from django.utils import timezone

from neighbourly.merchants.models import Category, ProofMethod


class BusinessForm(forms.Form):
    name = forms.CharField(label="Business name", max_length=120)
    category = forms.ChoiceField(choices=Category.choices)
    address = forms.CharField(label="Business address", max_length=200,
                              help_text="Where customers find you. A moderator will post a code here, or check your document.")
    opening_hours = forms.CharField(label="Opening hours", max_length=300, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False)
    communities = forms.MultipleChoiceField(label="Communities you serve", widget=forms.CheckboxSelectMultiple)
    proof = forms.ChoiceField(label="How will you prove the address?", choices=ProofMethod.choices,
                              widget=forms.RadioSelect, initial=ProofMethod.POSTCARD)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].choices = [(c.slug, c.name) for c in communities]


class OfferForm(forms.Form):
    title = forms.CharField(max_length=120)
    body = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)
    ends_at = forms.DateTimeField(label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    communities = forms.MultipleChoiceField(label="Show it in", widget=forms.CheckboxSelectMultiple)
    max_claims = forms.IntegerField(label="How many in total", min_value=1, max_value=10_000, initial=20)
    per_household = forms.IntegerField(label="How many per household", min_value=1, max_value=10_000, initial=1)
    image = forms.FileField(label="Picture (optional)", required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].choices = [(c.slug, c.name) for c in communities]
        self.fields["communities"].initial = [c.slug for c in communities]
        self.fields["ends_at"].initial = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")


class BusinessEditForm(forms.Form):
    name = forms.CharField(label="Business name", max_length=120)
    category = forms.ChoiceField(choices=Category.choices)
    opening_hours = forms.CharField(label="Opening hours", max_length=300, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False)


class OfferEditForm(forms.Form):
    title = forms.CharField(max_length=120)
    body = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)
    ends_at = forms.DateTimeField(label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                           format="%Y-%m-%dT%H:%M"))
    max_claims = forms.IntegerField(label="How many in total", min_value=1, max_value=10_000)
    per_household = forms.IntegerField(label="How many per household", min_value=1, max_value=10_000)
    image = forms.FileField(label="Replace the picture (optional)", required=False)

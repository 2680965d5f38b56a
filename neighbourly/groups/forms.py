"""Page forms: they parse input; the services decide what is allowed."""

from django import forms

from neighbourly.groups.models import (
    DESCRIPTION_MAX,
    HELP_DESCRIPTION_MAX,
    HOURS_MAX,
    NAME_MAX,
    REASON_MAX,
    Availability,
    GroupKind,
    GroupVisibility,
    HelpCategory,
    HelpKind,
)


class GroupForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX, label="Name")
    description = forms.CharField(max_length=DESCRIPTION_MAX, required=False, label="What is it about?",
                                  widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(choices=GroupKind.choices, initial=GroupKind.INTEREST, label="Kind",
                             help_text="An intergenerational group shows its generational mix.")
    visibility = forms.ChoiceField(choices=GroupVisibility.choices, initial=GroupVisibility.OPEN,
                                   label="Who can join?", widget=forms.RadioSelect)


class HelpListingForm(forms.Form):
    kind = forms.ChoiceField(choices=HelpKind.choices, label="Are you offering or asking?", widget=forms.RadioSelect)
    category = forms.ChoiceField(choices=HelpCategory.choices, label="What kind of help?")
    description = forms.CharField(max_length=HELP_DESCRIPTION_MAX, label="Describe it",
                                  widget=forms.Textarea(attrs={"rows": 3}))
    availability = forms.MultipleChoiceField(choices=Availability.choices, label="When are you available?",
                                             widget=forms.CheckboxSelectMultiple)
    # Moderators only: act for an offline member.
    on_behalf_of = forms.TypedChoiceField(coerce=int, required=False, empty_value=None,
                                          label="Post for a member who is not online (moderators)")
    reason = forms.CharField(max_length=REASON_MAX, required=False, label="Why you are acting for them")

    def __init__(self, *args, residents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if residents is None:
            del self.fields["on_behalf_of"]
            del self.fields["reason"]
        else:
            self.fields["on_behalf_of"].choices = [("", "Myself")] + [
                (m.user_id, m.user.profile.display_name) for m in residents
            ]


class HoursForm(forms.Form):
    hours = forms.DecimalField(min_value=0.25, max_value=HOURS_MAX, decimal_places=2, label="Hours of help",
                               widget=forms.NumberInput(attrs={"step": "0.25"}))


class AcceptForm(forms.Form):
    match_id = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    reason = forms.CharField(max_length=REASON_MAX, required=False, label="Why you are acting for them")

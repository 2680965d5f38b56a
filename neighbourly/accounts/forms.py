from django import forms


class SignupForm(forms.Form):
    display_name = forms.CharField(
        max_length=60, label="Display name", help_text="What neighbours will call you, e.g. “Sam P.”"
    )
    email = forms.EmailField(max_length=254, label="E-mail address")
    password = forms.CharField(
        max_length=128, label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )


class LoginForm(forms.Form):
    email = forms.EmailField(max_length=254, label="E-mail address",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(max_length=128, label="Password",
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=60, label="Display name")
    bio = forms.CharField(max_length=500, required=False, label="About you",
                          widget=forms.Textarea(attrs={"rows": 3}))
    age_band = forms.ChoiceField(
        required=False, label="Age band (private)",
        help_text="Never shown to anyone. Groups only ever show totals of five or more people.",
    )

    def __init__(self, *args, **kwargs):
        from neighbourly.accounts.models import AgeBand

        super().__init__(*args, **kwargs)
        self.fields["age_band"].choices = [("", "Prefer not to say"), *AgeBand.choices]


class PrivacyForm(forms.Form):
    neighbour_label = forms.ChoiceField(
        label="How neighbours see you", widget=forms.RadioSelect,
        help_text="Never your house number, whichever you choose.",
    )
    in_directory = forms.BooleanField(
        required=False, label="List me in my community's directory",
        help_text="Verified neighbours can then find you by name (and street, if you show it).",
    )

    def __init__(self, *args, **kwargs):
        from neighbourly.accounts.models import NeighbourLabel

        super().__init__(*args, **kwargs)
        self.fields["neighbour_label"].choices = NeighbourLabel.choices


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, label="Token name", initial="Personal token")


class DeleteAccountForm(forms.Form):
    keep_content = forms.ChoiceField(
        label="Your posts and messages",
        choices=[("keep", "Keep them, shown as from “a former neighbour”"), ("remove", "Remove them too")],
        widget=forms.RadioSelect, initial="keep",
    )
    password = forms.CharField(max_length=128, label="Your password, to confirm",
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class PasswordResetForm(forms.Form):
    email = forms.EmailField(max_length=254, label="E-mail address",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        max_length=128, label="New password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(max_length=128, label="Current password",
                                       widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(
        max_length=128, label="New password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(max_length=254, label="New e-mail address",
                             help_text="It changes once you open the link we send there.",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(max_length=128, label="Your password, to confirm",
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

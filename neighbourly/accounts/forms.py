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

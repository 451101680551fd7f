from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms


class LoginForm(AllauthLoginForm):
    """allauth's log-in form in the portal's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["password"].label = "Password"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, asking also what the person would like to be called."""

    name = forms.CharField(
        label="Your name",
        help_text="The name you would like us to use. It does not have to be your full or legal name.",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "We will send you a link to check it is yours."
        self.fields["password1"].label = "Create a password"
        self.fields["password1"].help_text = "At least 10 characters. A few words you will remember work well."
        self.fields["password2"].label = "Type the password again"

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError("Enter your name using letters.")
        return name

    def save(self, request):
        user = super().save(request)
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])
        return user

"""Forms for members."""

from django import forms


class SignupForm(forms.Form):
    """Extra registration fields (allauth adds e-mail and password)."""

    def signup(self, request, user) -> None:
        pass

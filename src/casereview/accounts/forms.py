from django import forms


class CodeForm(forms.Form):
    """A six-digit code from an authenticator app."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, device=None, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, for example 123456")
        if self.device is None:
            raise forms.ValidationError("Set up your authenticator app first")
        allowed, info = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                "You have entered too many wrong codes. Wait a minute, then enter the code shown now"
            )
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code is not right. Enter the code your authenticator app shows now "
                "(codes change every 30 seconds)"
            )
        return code

"""What the public application keeps of its own: one row per application sent online.

The answers themselves become the application's records (applications.Person, Application,
Incident, IncidentReport) when sent; until then they live only in the person's session.
"""

from django.db import models

from casereview.web.encryption import EncryptedTextField


class OnlineSubmission(models.Model):
    """The one-time token of a sent online application.

    Each journey carries a random token; sending it creates this row in the same transaction as the
    application, and the token is unique, so sending twice (a double click, a refresh, back and
    send again) can never create two applications. It holds no personal data.
    """

    token = models.CharField(max_length=64, unique=True)
    application = models.OneToOneField(
        "applications.Case", on_delete=models.CASCADE, related_name="online_submission"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Online submission of {self.application}"


class ApplicationDraft(models.Model):
    """An application saved to come back to (the GOV.UK "save and come back later" pattern).

    The answers, encrypted at rest (CASEREVIEW_FIELD_KEY), until the person comes back through the
    link we emailed them — whose token is kept only as its hash — or until `expires_at`, when the
    retention schedule deletes it (`casereview retention`, apply/drafts.py). No email address is
    kept: the link was sent, and that is all it was needed for.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    answers = EncryptedTextField(help_text="The journey's answers as JSON, encrypted.")
    language = models.CharField(max_length=5, blank=True)
    saved_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Saved application (until {self.expires_at:%d %B %Y})"

"""What the public application keeps of its own: one row per application sent online.

The answers themselves become the application's records (applications.Person, Application,
Incident, IncidentReport) when sent; until then they live only in the person's session.
"""

from django.db import models


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

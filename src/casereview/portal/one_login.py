"""GOV.UK One Login as a second way into the person's own view (ADR 0056).

Where a council has a One Login client, the sign-in page offers "Sign in with GOV.UK One Login":
the person gives their case reference, signs in at One Login, and comes back with a verified email
address (and phone number, if One Login holds one). If either is the victim's or the applicant's on
that case, they are signed in as that person — the same session as after a code. Authlib is the
relying party (as for staff, ADR 0042); One Login authenticates clients only by `private_key_jwt`
(RFC 7523): the token request carries a JWT signed with our private key, whose public half One
Login holds. Settings: CASEREVIEW_ONE_LOGIN_DISCOVERY_URL, CASEREVIEW_ONE_LOGIN_CLIENT_ID and
CASEREVIEW_ONE_LOGIN_PRIVATE_KEY (PEM); without them the option is not shown.

The level of authentication is asked for as One Login's vector of trust (`vtr`, ADR 0073):
CASEREVIEW_ONE_LOGIN_VTR, default "Cl.Cm" (a password and a second factor); the ID token's `vot`
(the vector One Login actually achieved) must be one of those asked for, or the sign-in is refused.
"""

from __future__ import annotations

import hmac
import json

import requests
from authlib.integrations.django_client import OAuth, OAuthError
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from joserfc.errors import JoseError

from casereview.applications.selectors import case_by_reference
from casereview.core.disclosure import phone_digits

from .models import PortalRole

PROVIDER_ERRORS = (OAuthError, JoseError, requests.RequestException, ValueError, KeyError)
SCOPE = "openid email phone"


def configured() -> bool:
    return all(
        getattr(settings, name, "")
        for name in (
            "CASEREVIEW_ONE_LOGIN_DISCOVERY_URL",
            "CASEREVIEW_ONE_LOGIN_CLIENT_ID",
            "CASEREVIEW_ONE_LOGIN_PRIVATE_KEY",
        )
    )


def vectors_of_trust() -> list[str]:
    """The vectors asked for, from CASEREVIEW_ONE_LOGIN_VTR ("Cl.Cm", or "Cl.Cm,Cl"); [] asks for
    none (One Login's own default applies) and checks none."""
    raw = getattr(settings, "CASEREVIEW_ONE_LOGIN_VTR", "Cl.Cm") or ""
    return [vector.strip() for vector in raw.split(",") if vector.strip()]


def authorize_parameters() -> dict[str, str]:
    """The extra parameters of the authorisation request: `vtr` as One Login wants it, a JSON
    array of vectors (`["Cl.Cm"]`)."""
    vectors = vectors_of_trust()
    return {"vtr": json.dumps(vectors)} if vectors else {}


def vot_accepted(claims: dict) -> bool:
    """The ID token's `vot` is one of the vectors asked for (when any were)."""
    vectors = vectors_of_trust()
    return not vectors or claims.get("vot") in vectors


def client():
    return OAuth().register(
        name="gov-uk-one-login",
        client_id=settings.CASEREVIEW_ONE_LOGIN_CLIENT_ID,
        client_secret=settings.CASEREVIEW_ONE_LOGIN_PRIVATE_KEY,
        server_metadata_url=settings.CASEREVIEW_ONE_LOGIN_DISCOVERY_URL,
        client_kwargs={"scope": SCOPE, "token_endpoint_auth_method": "private_key_jwt"},
        client_auth_methods=[PrivateKeyJWT()],
    )


def person_for(*, reference: str, claims: dict):
    """(case, role) when One Login's verified email or phone number is the victim's or the
    applicant's on the case with this reference; None otherwise."""
    case = case_by_reference(reference)
    if case is None:
        return None
    email = (claims.get("email") or "").strip().casefold() if claims.get("email_verified") else ""
    phone = phone_digits(claims.get("phone_number") or "") if claims.get("phone_number_verified") else ""
    people = [(case.victim, PortalRole.VICTIM)]
    if case.applicant_id:
        people.append((case.applicant, PortalRole.APPLICANT))
    for person, role in people:
        if email and person.email and hmac.compare_digest(email, person.email.strip().casefold()):
            return case, role
        if phone and person.phone and hmac.compare_digest(phone, phone_digits(person.phone)):
            return case, role
    return None

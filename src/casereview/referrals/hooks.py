"""What other parts of the product do when a referral to a standing panel is made (ADR 0037: upper
apps register at ready(), the referrals app never imports them).

`services.referral_make` — the referral form's path and the partner API's alike — calls
`referral_made` with the new referral once its case is open and the referring agency is party to
it, in the same transaction: a hook that fails undoes the referral, and a referral rolled back
leaves nothing a hook did (the partner API queues its `referral.created` webhook here).
"""

from __future__ import annotations

from collections.abc import Callable

ReferralHook = Callable[..., None]

_HOOKS: dict[str, ReferralHook] = {}


def register_referral_made(name: str, hook: ReferralHook) -> None:
    """Call ``hook(referral=…, actor=…)`` whenever a referral is made. Registering the same name
    again replaces the hook (ready() can run twice in tests)."""
    _HOOKS[name] = hook


def referral_made(*, referral, actor=None) -> None:
    for hook in list(_HOOKS.values()):
        hook(referral=referral, actor=actor)

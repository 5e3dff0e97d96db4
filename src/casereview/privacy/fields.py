"""Where the encrypted field lived before it moved to `casereview.web.encryption` (ADR 0037):
accounts and people encrypt too, and sit below data protection in the apps' layers. Kept because
the migrations written before the move import it from here; new code imports `web.encryption`."""

from casereview.web.encryption import PREFIX, EncryptedTextField, decrypt, encrypt, fernet, rotate

__all__ = ["PREFIX", "EncryptedTextField", "decrypt", "encrypt", "fernet", "rotate"]

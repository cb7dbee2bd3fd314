"""Names of the kiosk's own entries in the vault, in a module of their own so the self-check
can read them without loading the kiosk's store (docs/offline.md, "Enrollment")."""

from __future__ import annotations

# The kiosk's bearer token, confirmed to the server.
TOKEN_ENTRY = "kiosk-token"  # noqa: S105 - the vault entry's name, not a secret
# A token stored but not yet confirmed to the server.
PENDING_TOKEN_ENTRY = "kiosk-token-pending"  # noqa: S105 - a name, not a secret

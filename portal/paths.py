"""Address prefixes that decide how a request is treated (cached, compressed, scoped)."""

# The back office of every brand.
ADMIN_PREFIX = "/admin/"
# The consultation form and what follows it: CSRF tokens and patient details, so never
# stored in a shared cache nor compressed (BREACH), in any language.
CONSULTATION_PREFIX = "/consultation/"

"""How passwords are stored: Argon2id at the cost OWASP's Password Storage Cheat Sheet recommends.

Why not Django's default, PBKDF2 with 1,000,000 SHA-256 rounds: checking one password costs about
230 ms of one core, and on deadline day the whole council signs in within minutes of each other.
On the two-core server `bench/deadline_day.py` measures, 72 sign-ins in 15 seconds took more than
half the machine, and every officer's save waited behind them (docs/performance.md).

Argon2id (the Password Hashing Competition's winner, first in OWASP's list) makes each guess need
its memory as well as its time, which is what slows the graphics cards passwords are cracked on;
at OWASP's first configuration (19 MiB, two passes, one lane) a sign-in costs about 20 ms of CPU.
Django's own Argon2 settings (100 MiB, eight lanes) cost as much CPU as PBKDF2 does, so the cost
is set here. A password stored another way is still checked, and stored again in this way the
next time its owner signs in: Django re-hashes whenever the preferred hasher or its cost differs.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, 19 MiB, two passes, one lane: OWASP's recommended minimum."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

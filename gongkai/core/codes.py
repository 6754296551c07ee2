"""Codes a member of the public types back to reach their own record (an application's 查询码,
an error report's check code), and client addresses kept only as keyed hashes for rate limits.

The codes are stored hashed with the record's key, so a database read gives neither the code
nor a way to try codes offline without the secret key.
"""

from __future__ import annotations

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
LENGTH = 8


def new_code(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def hash_code(purpose: str, pk: int, code: str) -> str:
    return salted_hmac(f"gongkai.{purpose}", f"{pk}:{code}").hexdigest()


def code_matches(stored: str, purpose: str, pk: int, code: str, length: int = LENGTH) -> bool:
    code = (code or "").strip().upper()
    if not stored or len(code) != length:
        return False
    return constant_time_compare(stored, hash_code(purpose, pk, code))


def hash_ip(purpose: str, ip: str) -> str:
    return salted_hmac(f"gongkai.{purpose}.ip", ip).hexdigest() if ip else ""

"""Registry of the CLI commands that live beside their modules.

Each entry is a function ``register(subparsers)`` adding one sub-command.
"""

from __future__ import annotations

REGISTER: list = []

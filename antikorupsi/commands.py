"""Registry of the CLI commands that live beside their modules.

Each entry is a function ``register(subparsers)`` adding one sub-command.
"""

from __future__ import annotations

REGISTER: list = []

# what-if scenarios and rank uncertainty (antikorupsi/whatif_cli.py)
from .whatif_cli import register_uncertainty, register_whatif  # noqa: E402

REGISTER += [register_whatif, register_uncertainty]

# per-region and annual reports (antikorupsi/reporting.py)
from .reporting import register as register_report  # noqa: E402

REGISTER.append(register_report)

# the yearly statistical audit (antikorupsi/audit_cli.py)
from .audit_cli import register as register_audit  # noqa: E402

REGISTER.append(register_audit)
# the collection: status of what arrived, the plenary sheet (antikorupsi/collection_cli.py)
from .collection_cli import register_pleno, register_status  # noqa: E402

REGISTER += [register_status, register_pleno]

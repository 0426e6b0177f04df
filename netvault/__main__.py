"""`python -m netvault` and the `netvault` console script."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from .cli import cli

    try:
        cli.main(prog_name="netvault")
    except KeyboardInterrupt:
        sys.stderr.write("\nnetvault: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly instead of a traceback
        if os.environ.get("NETVAULT_DEBUG"):
            raise
        sys.stderr.write(
            f"netvault: internal error: {type(exc).__name__}: {exc}\n"
            "Run again with NETVAULT_DEBUG=1 for details, and please report it.\n"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()

"""``python -m simulator [overrides]``: the same as the ``bnpl-stress`` command."""

from .cli import main

if __name__ == "__main__":
    main()

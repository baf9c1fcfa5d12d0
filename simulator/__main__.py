"""``python -m simulator [overrides]``: the same as the ``bnpl-stress`` command."""

from simulator.apps.cli import main

if __name__ == "__main__":
    main()

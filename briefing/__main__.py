"""`python -m briefing` is the same as the `briefing` command."""

from briefing.cli import main

if __name__ == "__main__":  # worker processes may import this module again: run nothing then
    raise SystemExit(main())

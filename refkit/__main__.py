"""The `refkit` command, as installed and as `python -m refkit`: refkit.cli's group, with Ctrl-C
pressed while Python is still loading refkit's modules ending the run as quietly as one pressed later."""

import sys


def run() -> None:
    try:
        from .cli import main
    except KeyboardInterrupt:  # before the command runs: nothing was done, nothing to say
        sys.exit(130)  # refkit.cli.INTERRUPTED, from the module that was being loaded
    main()


if __name__ == "__main__":
    run()

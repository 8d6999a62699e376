"""`python -m refkit`: the same as the `refkit` command."""

from .cli import main

main()
